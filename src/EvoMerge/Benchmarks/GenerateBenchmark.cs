using EvoMerge.Common;
using EvoMerge.Common.Random;
using EvoMerge.Models;
using static TorchSharp.torch;

namespace EvoMerge.Benchmarks;

/// <summary>What <see cref="GenerateBenchmark.Run"/> times: a shape from <see cref="BenchShapes"/> and the batch sizes to try.</summary>
public sealed record GenerateBenchmarkOptions
{
    /// <summary>A name from <see cref="BenchShapes"/>.</summary>
    public string Shape { get; init; } = "tiny";
    public ValueArray<int> Batches { get; init; } = ValueArray.Of(1, 16, 64);
    public int PromptTokens { get; init; } = 128;
    public int NewTokens { get; init; } = 128;

    /// <summary>Timed runs per measurement (median) after one warm-up.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Compute dtype: float32 or bfloat16.</summary>
    public string Dtype { get; init; } = "float32";
}

/// <summary>
/// One batch size, medians over the repeats. Generate = prompt pass + <c>NewTokens</c> greedy steps, as
/// the evaluator runs it; prefill = the same call with one new token (the prompt pass and one argmax).
/// </summary>
public sealed record GenerateBenchmarkRow(
    int Batch,
    double PrefillSeconds,
    double GenerateSeconds,
    int PromptTokens,
    int NewTokens
)
{
    /// <summary>Prompt tokens processed per second by the prompt pass.</summary>
    public double PrefillTokensPerSecond => Batch * PromptTokens / PrefillSeconds;

    /// <summary>Decode steps after the first token: (generate − prefill) / (new − 1), in ms.</summary>
    public double MillisecondsPerStep =>
        NewTokens > 1 ? 1000 * (GenerateSeconds - PrefillSeconds) / (NewTokens - 1) : double.NaN;

    /// <summary>New tokens per second of the whole call, prompt pass included (as transformers' generate is timed).</summary>
    public double TokensPerSecond => Batch * NewTokens / GenerateSeconds;

    /// <summary>New tokens per second of the decode steps alone.</summary>
    public double DecodeTokensPerSecond => Batch / (MillisecondsPerStep / 1000);
}

/// <summary>Batched greedy generation throughput of a random model built on the device (a benchmark, not a test).</summary>
public static class GenerateBenchmark
{
    /// <summary>Builds the model once, then times each batch size; <paramref name="onRow"/> sees each row as it is measured.</summary>
    public static (long Parameters, IReadOnlyList<GenerateBenchmarkRow> Rows) Run(
        GenerateBenchmarkOptions o,
        Device device,
        Action<GenerateBenchmarkRow>? onRow = null
    )
    {
        if (o.PromptTokens <= 0 || o.NewTokens <= 0 || o.Repeats <= 0)
            throw new ArgumentException("prompt tokens, new tokens and repeats must be positive");
        if (o.Batches.Count == 0 || o.Batches.Any(b => b <= 0))
            throw new ArgumentException("batch sizes must be positive");
        var config = BenchShapes.Get(o.Shape).Config;
        using var model = BenchModel.Random(config, device, o.Dtype);
        long parameters = model.parameters().Sum(p => p.numel());
        var random = new Xoshiro256StarStar(7);
        var rows = new List<GenerateBenchmarkRow>();
        foreach (int batch in o.Batches)
        {
            var prompts = BenchModel.Prompts(random, batch, o.PromptTokens, config.VocabSize);
            var row = Measure(model, prompts, o.NewTokens, o.Repeats);
            rows.Add(row);
            onRow?.Invoke(row);
        }
        return (parameters, rows);
    }

    /// <summary>
    /// Median seconds of <see cref="Generation.Generate"/> on <paramref name="prompts"/> (equal
    /// lengths) with one new token (the prefill) and with <paramref name="newTokens"/>, greedy and
    /// with no stop ids, so every row runs every step.
    /// </summary>
    internal static GenerateBenchmarkRow Measure(
        CausalLanguageModel model,
        IReadOnlyList<long>[] prompts,
        int newTokens,
        int repeats
    )
    {
        var greedy = new GenerationOptions
        {
            EosTokenIds = ValueArray<int>.Empty,
            MaxNewTokens = newTokens,
        };
        double prefill = BenchTiming.MedianSeconds(
            model.Device,
            repeats,
            () => Generation.Generate(model, prompts, greedy with { MaxNewTokens = 1 })
        );
        double generate = BenchTiming.MedianSeconds(
            model.Device,
            repeats,
            () => Generation.Generate(model, prompts, greedy)
        );
        return new(prompts.Length, prefill, generate, prompts[0].Count, newTokens);
    }
}
