using EvoMerge.Common;
using EvoMerge.Models;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Models;

/// <summary>
/// The decoder against transformers' own outputs for each fixture model (nanoGPT-style: each test
/// prints how far it is). Tolerance 1e-4 in float32 on CPU.
/// </summary>
public class ParityTests(ITestOutputHelper output)
{
    const double Tolerance = 1e-4;

    [Theory]
    [MemberData(nameof(Reference.ModelFixtures), MemberType = typeof(Reference))]
    public void Logits_match_transformers(string fixture)
    {
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.FromPretrained(Reference.ModelDir(fixture));
        var logits = model.Forward(Reference.Load(fixture, "input_ids"));
        var delta = Reference.MaxAbsDiff(logits, Reference.Load(fixture, "logits"));
        output.WriteLine($"{fixture}: logits max |Δ| = {delta:E2}");
        Assert.InRange(delta, 0, Tolerance);
    }

    [Theory]
    [MemberData(nameof(Reference.ModelFixtures), MemberType = typeof(Reference))]
    public void Masked_logits_match_at_unpadded_positions(string fixture)
    {
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.FromPretrained(Reference.ModelDir(fixture));
        var mask = Reference.Load(fixture, "attention_mask"); // (B, T)
        Assert.True(mask.eq(0).any().item<bool>(), "the reference batch should contain padding");
        var logits = model.Forward(Reference.Load(fixture, "input_ids"), mask);
        var expected = Reference.Load(fixture, "logits_masked");
        var real = mask.ne(0).unsqueeze(-1); // (B, T, 1)
        var delta = Reference.MaxAbsDiff(
            logits.masked_fill(real.logical_not(), 0),
            expected.masked_fill(real.logical_not(), 0)
        );
        output.WriteLine($"{fixture}: masked logits max |Δ| over real tokens = {delta:E2}");
        Assert.InRange(delta, 0, Tolerance);
        Assert.False(logits.isnan().any().item<bool>(), "padded positions must not produce NaN");
    }

    [Theory]
    [MemberData(nameof(Reference.ModelFixtures), MemberType = typeof(Reference))]
    public void Hidden_states_match_layer_by_layer(string fixture)
    {
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.FromPretrained(Reference.ModelDir(fixture));
        var ids = Reference.Load(fixture, "input_ids");
        // The routable pieces: embed, one shared context, each layer called on its own, final norm.
        var h = model.Embed(ids);
        using var context = model.CreateContext((int)ids.shape[0], (int)ids.shape[1]);
        var states = new List<Tensor> { h };
        for (int i = 0; i < model.Layers.Count; i++)
        {
            h = model.Layers[i].forward(h, context, i);
            states.Add(h);
        }
        states[^1] = model.FinalNorm(h); // transformers' last hidden state is after the final norm
        for (int i = 0; i < states.Count; i++)
        {
            var delta = Reference.MaxAbsDiff(
                states[i],
                Reference.Load(fixture, $"hidden_states.{i}")
            );
            output.WriteLine($"{fixture}: hidden_states.{i} max |Δ| = {delta:E2}");
            Assert.InRange(delta, 0, Tolerance);
        }
        Assert.Equal(model.Config.NumHiddenLayers + 1, states.Count);
    }

    [Theory]
    [MemberData(nameof(Reference.ModelFixtures), MemberType = typeof(Reference))]
    public void Greedy_ids_match_transformers(string fixture)
    {
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.FromPretrained(Reference.ModelDir(fixture));
        var prompt = Reference.Row(Reference.Load(fixture, "greedy_prompt"), 0);
        var expected = Reference.Row(Reference.Load(fixture, "greedy_ids"), 0, prompt.Length);
        var options = new GenerationOptions
        {
            MaxNewTokens = expected.Length,
            EosTokenIds = ValueArray<int>.Empty,
        };
        var cached = Generation.Generate(model, [prompt], options);
        var recomputed = Generation.Generate(model, [prompt], options with { UseCache = false });
        output.WriteLine(
            $"{fixture}: greedy {string.Join(",", cached.Tokens[0])} expected {string.Join(",", expected)}"
        );
        Assert.Equal(expected, cached.Tokens[0].ToArray());
        Assert.Equal(expected, recomputed.Tokens[0].ToArray());
    }
}
