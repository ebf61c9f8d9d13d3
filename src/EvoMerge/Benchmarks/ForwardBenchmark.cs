using EvoMerge.Common.Random;
using static TorchSharp.torch;

namespace EvoMerge.Benchmarks;

/// <summary>What <see cref="ForwardBenchmark.Run"/> times: a random model of a <see cref="BenchShapes"/> shape (default <c>small</c>, 100 M parameters).</summary>
public sealed record ForwardBenchmarkOptions
{
    /// <summary>A name from <see cref="BenchShapes"/>.</summary>
    public string Shape { get; init; } = "small";

    /// <summary>Decoder layers; null = the shape's.</summary>
    public int? Layers { get; init; }
    public int Batch { get; init; } = 4;
    public int SequenceLength { get; init; } = 128;
    public int NewTokens { get; init; } = 32;

    /// <summary>Timed runs per measurement (median) after one warm-up.</summary>
    public int Repeats { get; init; } = 3;

    /// <summary>Compute dtype: float32 or bfloat16.</summary>
    public string Dtype { get; init; } = "float32";
}

/// <summary>Medians over the repeats; decode rate excludes the prefill pass.</summary>
public sealed record ForwardBenchmarkResult(
    long Parameters,
    double ForwardSeconds,
    double ForwardTokensPerSecond,
    double PrefillSeconds,
    double DecodeSeconds,
    double DecodeTokensPerSecond
);

/// <summary>Forward and greedy-decode throughput of a generated model (a benchmark, not a test).</summary>
public static class ForwardBenchmark
{
    public static ForwardBenchmarkResult Run(ForwardBenchmarkOptions o, Device device)
    {
        var config = BenchShapes.Get(o.Shape).WithLayers(o.Layers);
        using var model = BenchModel.Random(config, device, o.Dtype);
        long parameters = model.parameters().Sum(p => p.numel());
        var prompts = BenchModel.Prompts(
            new Xoshiro256StarStar(7),
            o.Batch,
            o.SequenceLength,
            config.VocabSize
        );
        using var ids = tensor(prompts.SelectMany(p => p).ToArray(), device: device)
            .reshape(o.Batch, o.SequenceLength);

        double forward = BenchTiming.MedianSeconds(
            device,
            o.Repeats,
            () =>
            {
                using var logits = model.Forward(ids);
            }
        );
        var generation = GenerateBenchmark.Measure(model, prompts, o.NewTokens, o.Repeats);
        double prefill = generation.PrefillSeconds,
            full = generation.GenerateSeconds;
        double decode = Math.Max(full - prefill, 1e-9);
        return new(
            parameters,
            forward,
            o.Batch * o.SequenceLength / forward,
            prefill,
            decode,
            o.Batch * (o.NewTokens - 1) / decode
        );
    }
}
