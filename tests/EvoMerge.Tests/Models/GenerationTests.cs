using EvoMerge.Common;
using EvoMerge.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Models;

public class GenerationTests
{
    static readonly GenerationOptions Greedy = new()
    {
        MaxNewTokens = 10,
        EosTokenIds = ValueArray<int>.Empty,
    };

    /// <summary>Prompts of different lengths (left padding of 0, 5 and 11 tokens) taken from the reference ids.</summary>
    static long[][] Prompts(string fixture)
    {
        using var ids = Reference.Load(fixture, "input_ids");
        return [Reference.Row(ids, 0), Reference.Row(ids, 1, 5), Reference.Row(ids, 0, 11)];
    }

    [Theory]
    [MemberData(nameof(Reference.ModelFixtures), MemberType = typeof(Reference))]
    public void Cached_greedy_equals_full_recompute_on_a_left_padded_batch(string fixture)
    {
        using var model = CausalLanguageModel.FromPretrained(Reference.ModelDir(fixture));
        var prompts = Prompts(fixture);
        var cached = Generation.Generate(model, prompts, Greedy);
        var recomputed = Generation.Generate(model, prompts, Greedy with { UseCache = false });
        Assert.Equal(recomputed, cached);
        Assert.All(cached.Tokens, row => Assert.Equal(10, row.Count));
    }

    [Theory]
    [MemberData(nameof(Reference.ModelFixtures), MemberType = typeof(Reference))]
    public void Each_padded_row_equals_the_row_generated_alone(string fixture)
    {
        using var model = CausalLanguageModel.FromPretrained(Reference.ModelDir(fixture));
        var prompts = Prompts(fixture);
        var batched = Generation.Generate(model, prompts, Greedy);
        for (int row = 0; row < prompts.Length; row++)
            Assert.Equal(
                Generation.Generate(model, [prompts[row]], Greedy).Tokens[0],
                batched.Tokens[row]
            );
    }

    [Fact]
    public void A_row_stops_at_its_eos_while_the_others_continue()
    {
        using var model = CausalLanguageModel.FromPretrained(Reference.ModelDir("llama-tiny"));
        var prompts = Prompts("llama-tiny");
        var free = Generation.Generate(model, prompts, Greedy);
        int eos = (int)free.Tokens[0][2]; // row 0's third token becomes its EOS
        var stopped = Generation.Generate(
            model,
            prompts,
            Greedy with
            {
                EosTokenIds = ValueArray.Of(eos),
                FinishedCheckInterval = 1,
            }
        );
        Assert.Equal(free.Tokens[0].Take(2), stopped.Tokens[0]);
        Assert.True(stopped.EndedWithEos[0]);
        for (int row = 1; row < prompts.Length; row++)
        {
            int cut = free.Tokens[row].ToList().IndexOf(eos);
            Assert.Equal(
                cut >= 0 ? free.Tokens[row].Take(cut) : free.Tokens[row],
                stopped.Tokens[row]
            );
        }
    }

    [Fact]
    public void Sampling_is_seeded_and_top_p_near_zero_is_greedy()
    {
        using var model = CausalLanguageModel.FromPretrained(Reference.ModelDir("qwen2-tiny"));
        var prompts = Prompts("qwen2-tiny");
        var sampling = Greedy with { Temperature = 1.5, Seed = 7 };
        var a = Generation.Generate(model, prompts, sampling);
        Assert.Equal(a, Generation.Generate(model, prompts, sampling));
        Assert.NotEqual(a, Generation.Generate(model, prompts, sampling with { Seed = 8 }));
        Assert.NotEqual(Generation.Generate(model, prompts, Greedy), a);
        Assert.Equal(
            Generation.Generate(model, prompts, Greedy),
            Generation.Generate(model, prompts, sampling with { TopP = 1e-9 })
        );
    }
}
