using EvoMerge.Checkpoints.Config;
using EvoMerge.Common;

namespace EvoMerge.Models;

/// <summary>Named Llama shapes for benchmarks: random weights of a real model's geometry, no checkpoint needed.</summary>
public static class BenchShapes
{
    /// <summary>The names <see cref="Config"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["tiny", "zoo", "llama-1b", "mistral-7b"];

    /// <summary>
    /// tiny / zoo: the zoo's Llama (hidden 128, 6 layers, 4 heads, 2 kv, intermediate 384, vocab 1024, tied);
    /// llama-1b: Llama 3.2 1B (hidden 2048, 16 layers, 32 heads, 8 kv, intermediate 8192, vocab 128256, tied, 1.24 B);
    /// mistral-7b: Mistral 7B (hidden 4096, 32 layers, 32 heads, 8 kv, intermediate 14336, vocab 32000, untied, 7.24 B).
    /// </summary>
    public static HfConfig Config(string shape) =>
        shape.Trim().ToLowerInvariant() switch
        {
            "tiny" or "zoo" => Llama(1024, 128, 6, 4, 2, 384, tied: true, theta: 10000),
            "llama-1b" => Llama(128256, 2048, 16, 32, 8, 8192, tied: true, theta: 500000),
            "mistral-7b" => Llama(32000, 4096, 32, 32, 8, 14336, tied: false, theta: 1000000),
            _ => throw new ArgumentException(
                $"unknown shape '{shape}': expected one of {string.Join(", ", Names)}",
                nameof(shape)
            ),
        };

    static HfConfig Llama(
        int vocab,
        int hidden,
        int layers,
        int heads,
        int kvHeads,
        int intermediate,
        bool tied,
        double theta
    ) =>
        new()
        {
            ModelType = "llama",
            VocabSize = vocab,
            HiddenSize = hidden,
            IntermediateSize = intermediate,
            NumHiddenLayers = layers,
            NumAttentionHeads = heads,
            NumKeyValueHeads = kvHeads,
            HeadDim = hidden / heads,
            RmsNormEps = 1e-5,
            MaxPositionEmbeddings = 32768,
            Rope = new RopeSettings("default", theta),
            QkvBias = false,
            OutputBias = false,
            MlpBias = false,
            TieWordEmbeddings = tied,
            LayerTypes = Enumerable.Repeat("full_attention", layers).ToValueArray(),
        };
}
