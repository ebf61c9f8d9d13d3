using System.Diagnostics;
using EvoMerge.Checkpoints.Config;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Common;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>A random Llama to time: defaults give ~110M parameters (hidden 768, 12 layers, vocab 32000, tied head).</summary>
public sealed record ForwardBenchmarkOptions
{
    public int Hidden { get; init; } = 768;
    public int Layers { get; init; } = 12;
    public int Heads { get; init; } = 12;
    public int KvHeads { get; init; } = 4;
    public int Intermediate { get; init; } = 2048;
    public int Vocab { get; init; } = 32000;
    public int Batch { get; init; } = 4;
    public int SequenceLength { get; init; } = 128;
    public int NewTokens { get; init; } = 32;
    public int Repeats { get; init; } = 3;

    /// <summary>Compute dtype: float32 or bfloat16.</summary>
    public string Dtype { get; init; } = "float32";
    public string Device { get; init; } = "cpu";
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
        var config = new HfConfig
        {
            ModelType = "llama",
            VocabSize = o.Vocab,
            HiddenSize = o.Hidden,
            IntermediateSize = o.Intermediate,
            NumHiddenLayers = o.Layers,
            NumAttentionHeads = o.Heads,
            NumKeyValueHeads = o.KvHeads,
            HeadDim = o.Hidden / o.Heads,
            RmsNormEps = 1e-5,
            MaxPositionEmbeddings = 4096,
            Rope = new RopeSettings("default", 10000),
            QkvBias = false,
            OutputBias = false,
            MlpBias = false,
            TieWordEmbeddings = true,
            LayerTypes = Enumerable.Repeat("full_attention", o.Layers).ToValueArray(),
        };
        using var model = new CausalLanguageModel(
            config,
            device,
            SafetensorsDtypes.ParseTorchDtype(o.Dtype)
        );
        model.InitializeRandom(seed: 1);
        long parameters = model.parameters().Sum(p => p.numel());
        using var ids = randint(0, o.Vocab, [o.Batch, o.SequenceLength], ScalarType.Int64, device);
        var prompts = Enumerable
            .Range(0, o.Batch)
            .Select(r => (IReadOnlyList<long>)ids[r].cpu().data<long>().ToArray())
            .ToArray();
        var greedy = new GenerationOptions { EosTokenIds = ValueArray<int>.Empty };

        double Time(Action action)
        {
            var clock = Stopwatch.StartNew();
            action();
            if (device.type == DeviceType.CUDA)
                cuda.synchronize();
            return clock.Elapsed.TotalSeconds;
        }
        double Median(Func<double> sample)
        {
            sample(); // warm up
            var xs = Enumerable.Range(0, o.Repeats).Select(_ => sample()).Order().ToArray();
            return xs[xs.Length / 2];
        }

        double forward = Median(() =>
            Time(() =>
            {
                using var logits = model.Forward(ids);
            })
        );
        double prefill = Median(() =>
            Time(() => Generation.Generate(model, prompts, greedy with { MaxNewTokens = 1 }))
        );
        double full = Median(() =>
            Time(() =>
                Generation.Generate(model, prompts, greedy with { MaxNewTokens = o.NewTokens })
            )
        );
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
