using EvoMerge.Checkpoints.Config;
using EvoMerge.Common;
using EvoMerge.Zoo.Building;

namespace EvoMerge.Benchmarks;

/// <summary>The one table of benchmark model shapes: every benchmark's <c>--shape</c> names one of these.</summary>
public static class BenchShapes
{
    /// <summary>Smallest first.</summary>
    public static IReadOnlyList<BenchShape> All { get; } =
    [
        new(
            "tiny",
            "the zoo's Llama: hidden 128, 6 layers, 4 heads, 2 kv, intermediate 384, vocab 1024, tied, 1.3 M",
            1_312_384,
            // The zoo's own config.json, not a copy of its numbers.
            HfConfig.Parse(new ZooArchitecture().ToConfigJson().ToJsonString())
        ),
        new(
            "small",
            "hidden 768, 12 layers, 12 heads, 4 kv, intermediate 2048, vocab 32000, tied, 100 M",
            100_092_672,
            Llama(32000, 768, 12, 12, 4, 2048, tied: true, theta: 10000)
        ),
        new(
            "llama-1b",
            "Llama 3.2 1B: hidden 2048, 16 layers, 32 heads, 8 kv, intermediate 8192, vocab 128256, tied, 1.24 B",
            1_235_814_400,
            Llama(128256, 2048, 16, 32, 8, 8192, tied: true, theta: 500000)
        ),
        new(
            "mistral-7b",
            "Mistral 7B: hidden 4096, 32 layers, 32 heads, 8 kv, intermediate 14336, vocab 32000, untied, 7.24 B",
            7_241_732_096,
            Llama(32000, 4096, 32, 32, 8, 14336, tied: false, theta: 1000000)
        ),
    ];

    /// <summary>The names <see cref="Get"/> accepts, smallest first.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(s => s.Name).ToArray();

    /// <summary>For <c>--shape</c> help: the names separated by " | ".</summary>
    public static string Help => string.Join(" | ", Names);

    /// <summary>The shape called <paramref name="name"/> (case and surrounding spaces ignored).</summary>
    public static BenchShape Get(string name) =>
        All.FirstOrDefault(s => s.Name == name.Trim().ToLowerInvariant())
        ?? throw new ArgumentException(
            $"unknown shape '{name}': expected one of {string.Join(", ", Names)}",
            nameof(name)
        );

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
