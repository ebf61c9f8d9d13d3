using System.Text.Json;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Models;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Models;

/// <summary>
/// The seam the DFS router builds on: layers of two models run one by one on one hidden state
/// (one layer twice in a row, a scale before each), sharing one context, with the KV cache keyed
/// by path position. Checked against transformers' own decoder layers (merges/dfs-scaled).
/// </summary>
public class RoutableLayerTests(ITestOutputHelper output)
{
    sealed record Step(string Model, int Layer, double Scale);

    static Step[] Path()
    {
        using var doc = JsonDocument.Parse(
            File.ReadAllText(Fixtures.Path("merges/dfs-scaled/path.json"))
        );
        return doc
            .RootElement.GetProperty("path")
            .EnumerateArray()
            .Select(s => new Step(
                s.GetProperty("model").GetString()!,
                s.GetProperty("layer").GetInt32(),
                s.GetProperty("scale").GetDouble()
            ))
            .ToArray();
    }

    /// <summary>h = embed_a(ids); h = layer(h * scale) for each step (slot = step index); logits = head_a(norm_a(h)).</summary>
    static Tensor RunPath(
        IReadOnlyDictionary<string, CausalLanguageModel> models,
        Step[] path,
        Tensor ids,
        AttentionContext context
    )
    {
        using var scope = NewDisposeScope();
        var a = models["model_a"];
        var h = a.Embed(ids);
        for (int slot = 0; slot < path.Length; slot++)
            h = models[path[slot].Model]
                .Layers[path[slot].Layer]
                .forward(h * path[slot].Scale, context, slot);
        return a.Head(a.FinalNorm(h)).MoveToOuterDisposeScope();
    }

    [Fact]
    public void Scaled_path_over_two_models_matches_transformers_with_and_without_cache()
    {
        using var scope = NewDisposeScope();
        using var reference = CheckpointReader.Open(
            Fixtures.Path("merges/dfs-scaled/reference.safetensors")
        );
        var ids = reference.Load("input_ids"); // (B, T)
        var expected = reference.Load("logits"); // (B, T, V)
        using var modelA = CausalLanguageModel.FromPretrained(
            Fixtures.Path("merges/llama-family/model_a")
        );
        using var modelB = CausalLanguageModel.FromPretrained(
            Fixtures.Path("merges/llama-family/model_b")
        );
        var models = new Dictionary<string, CausalLanguageModel>
        {
            ["model_a"] = modelA,
            ["model_b"] = modelB,
        };
        var path = Path();
        int b = (int)ids.shape[0],
            t = (int)ids.shape[1];

        Tensor full;
        using (var context = modelA.CreateContext(b, t))
            full = RunPath(models, path, ids, context);
        var delta = Reference.MaxAbsDiff(full, expected);
        output.WriteLine($"dfs-scaled: full forward max |Δ| = {delta:E2}");
        Assert.InRange(delta, 0, 1e-4);

        // Cached: a 10-token prefix, then one token at a time; one slot per path step (layer 1 of model_b twice).
        using var cache = new KvCache(
            b,
            t,
            path.Select(s => models[s.Model].Layers[s.Layer].CacheSlotShape).ToArray(),
            ScalarType.Float32,
            CPU
        );
        var pieces = new List<Tensor>();
        for (int start = 0; start < t; )
        {
            int length = start == 0 ? 10 : 1;
            using var context = modelA.CreateContext(b, length, cache: cache);
            pieces.Add(RunPath(models, path, ids.narrow(1, start, length), context));
            cache.Advance(length);
            start += length;
        }
        var cachedDelta = Reference.MaxAbsDiff(cat(pieces, 1), expected);
        output.WriteLine($"dfs-scaled: cached (10 + 1×6 tokens) max |Δ| = {cachedDelta:E2}");
        Assert.InRange(cachedDelta, 0, 1e-4);
    }
}
