using System.Diagnostics;
using System.Globalization;
using EvoMerge.Checkpoints.Config;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Merging;
using EvoMerge.Models;
using EvoMerge.Recipes;
using static TorchSharp.torch;

namespace EvoMerge.Benchmarks;

/// <summary>Sizes, times and resident memory of one disk-to-disk merge (memory from <see cref="ProcessMemory"/>).</summary>
/// <param name="Sources">Models merged onto the base.</param>
/// <param name="Layers">Decoder layers of each checkpoint.</param>
/// <param name="BytesPerModel">Bytes of each generated checkpoint folder.</param>
/// <param name="GenerateSeconds">Writing the random checkpoints.</param>
/// <param name="MergeSeconds">The merge, disk to disk.</param>
/// <param name="PeakRssBytes">VmHWM after the merge, reset just before it.</param>
/// <param name="RssAtResetBytes">VmHWM right after the reset (the resident set the merge started from).</param>
/// <param name="PeakAnonymousBytes">The largest RssAnon sampled every 20 ms during the merge.</param>
public sealed record MergeStreamBenchmarkResult(
    int Sources,
    int Layers,
    long BytesPerModel,
    double GenerateSeconds,
    double MergeSeconds,
    long PeakRssBytes,
    long RssAtResetBytes,
    long PeakAnonymousBytes
)
{
    /// <summary>Source gigabytes (base and sources, 10⁹ bytes) merged per second.</summary>
    public double GigabytesPerSecond => BytesPerModel * (Sources + 1) / 1e9 / MergeSeconds;
}

/// <summary>
/// Writes random bf16 checkpoints (Llama 3.2 1B layers, 32k vocabulary, untied, as many layers as
/// make the size asked), merges them from disk to disk on the CPU and measures time and peak
/// resident memory (a benchmark, not a test).
/// </summary>
public static class MergeStreamBenchmark
{
    /// <summary>Runs in <paramref name="folder"/>, which is created and deleted afterwards with everything in it.</summary>
    public static MergeStreamBenchmarkResult Run(
        string folder,
        double sizeGb,
        int sources,
        string method
    )
    {
        Directory.CreateDirectory(folder);
        try
        {
            return RunIn(folder, sizeGb, sources, method);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    static MergeStreamBenchmarkResult RunIn(string root, double sizeGb, int sources, string method)
    {
        var config = Config(sizeGb);
        var tensors = ModelShapes.Of(config);
        var generator = new Generator(7);
        var generate = Stopwatch.StartNew();
        foreach (var model in BenchRecipe.ModelNames(sources))
        {
            using var writer = new CheckpointWriter(
                Path.Combine(root, model),
                tensors.Select(t => new TensorSpec(t.Name, SafetensorsDtype.BF16, t.Shape)).ToList()
            );
            foreach (var (name, dims) in tensors)
            {
                using var scope = NewDisposeScope();
                writer.Write(
                    name,
                    randn(dims, ScalarType.BFloat16, generator: generator).mul_(0.02)
                );
            }
            writer.AddText("config.json", ConfigJson(config));
            writer.Commit();
        }
        generate.Stop();
        long bytes = Directory
            .GetFiles(Path.Combine(root, "base"))
            .Sum(f => new FileInfo(f).Length);
        var recipePath = Path.Combine(root, "recipe.yaml");
        RecipeYaml.Save(BenchRecipe.Of(method, sources), recipePath);
        GC.Collect();
        ProcessMemory.ResetPeak();
        long atReset = ProcessMemory.Bytes("VmHWM");
        var merge = Stopwatch.StartNew();
        long peakAnonymous = 0;
        using var done = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                peakAnonymous = Math.Max(peakAnonymous, ProcessMemory.Bytes("RssAnon"));
                await Task.Delay(20);
            }
        });
        MergeExecutor.Run(
            RecipeYaml.Load(recipePath),
            Path.Combine(root, "merged"),
            MergeOptions.Cpu with
            {
                Seed = 1,
            }
        );
        merge.Stop();
        done.Cancel();
        sampler.Wait();
        return new(
            sources,
            config.NumHiddenLayers,
            bytes,
            generate.Elapsed.TotalSeconds,
            merge.Elapsed.TotalSeconds,
            ProcessMemory.Bytes("VmHWM"),
            atReset,
            peakAnonymous
        );
    }

    /// <summary>llama-1b's layers with a 32k untied vocabulary, with as many layers as make about <paramref name="sizeGb"/> in bf16.</summary>
    static HfConfig Config(double sizeGb)
    {
        var one = BenchShape.WithLayers(
            BenchShapes.Get("llama-1b").Config with
            {
                VocabSize = 32000,
                TieWordEmbeddings = false,
            },
            1
        );
        var shapes = ModelShapes.Of(one);
        long Elements(bool inLayers) =>
            shapes
                .Where(t => ModelInventory.LayerIndex(t.Name) >= 0 == inLayers)
                .Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
        long perLayer = Elements(inLayers: true),
            fixedPart = Elements(inLayers: false);
        int layers = Math.Max(1, (int)((sizeGb * 1e9 / 2 - fixedPart) / perLayer));
        return BenchShape.WithLayers(one, layers);
    }

    /// <summary>A config.json complete enough for the merge's source checks (they compare it with the tensors).</summary>
    static string ConfigJson(HfConfig c) =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"model_type\": \"{c.ModelType}\", \"hidden_size\": {c.HiddenSize}, \"intermediate_size\": {c.IntermediateSize}, \"num_attention_heads\": {c.NumAttentionHeads}, \"num_key_value_heads\": {c.NumKeyValueHeads}, \"head_dim\": {c.HeadDim}, \"num_hidden_layers\": {c.NumHiddenLayers}, \"vocab_size\": {c.VocabSize}, \"tie_word_embeddings\": {(c.TieWordEmbeddings ? "true" : "false")}, \"torch_dtype\": \"bfloat16\"}}\n"
        );
}
