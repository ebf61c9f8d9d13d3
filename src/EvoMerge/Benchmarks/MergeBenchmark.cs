using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Merging;
using EvoMerge.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Benchmarks;

/// <summary>What <see cref="MergeBenchmark.Run"/> times: an in-memory merge of random models of a <see cref="BenchShapes"/> shape.</summary>
public sealed record MergeBenchmarkOptions
{
    /// <summary>A name from <see cref="BenchShapes"/>.</summary>
    public string Shape { get; init; } = "llama-1b";

    /// <summary>Decoder layers; null = the shape's.</summary>
    public int? Layers { get; init; }

    /// <summary>Models merged onto the base.</summary>
    public int Sources { get; init; } = 3;
    public string Method { get; init; } = "dare_ties";

    /// <summary>Storage dtype of sources and target (an HF or torch name).</summary>
    public string Dtype { get; init; } = "bfloat16";

    /// <summary>Timed runs (median) after one warm-up.</summary>
    public int Runs { get; init; } = 5;

    /// <summary>Kernel chunk elements; null = the device's default.</summary>
    public long? Chunk { get; init; }
}

/// <summary>Medians of the merge and of a plain sum and a plain copy over the same source bytes.</summary>
/// <param name="Layers">Decoder layers of each model.</param>
/// <param name="ModelParameters">Parameters per model (every layer counted, though layers share storage).</param>
/// <param name="Storage">The storage dtype's HF name.</param>
/// <param name="SourceBytes">Bytes the merge reads: base and sources, every layer.</param>
/// <param name="MergeSeconds">The merge of the recipe, median.</param>
/// <param name="SumSeconds">copy_ of the base plus add_ of each source into the target, median.</param>
/// <param name="CopySeconds">copy_ of every model into the target, median.</param>
public sealed record MergeBenchmarkResult(
    int Layers,
    long ModelParameters,
    string Storage,
    long SourceBytes,
    double MergeSeconds,
    double SumSeconds,
    double CopySeconds
)
{
    /// <summary>Source gigabytes (10⁹ bytes) per second for a pass that took <paramref name="seconds"/>.</summary>
    public double GigabytesPerSecond(double seconds) => SourceBytes / 1e9 / seconds;
}

/// <summary>The in-memory merge path against a plain sum and a plain copy on random weights generated on the device (a benchmark, not a test).</summary>
public static class MergeBenchmark
{
    public static MergeBenchmarkResult Run(MergeBenchmarkOptions o, Device device)
    {
        if (o.Sources <= 0)
            throw new ArgumentOutOfRangeException(nameof(o), o.Sources, "sources must be positive");
        var config = BenchShapes.Get(o.Shape).WithLayers(o.Layers);
        var storage = SafetensorsDtypes.ParseTorchDtype(o.Dtype);
        var tensors = ModelShapes.Of(config);
        var names = BenchRecipe.ModelNames(o.Sources);
        var generator = new Generator(1234, device);
        var owned = new List<Tensor>();
        InMemoryMerger? merger = null;
        try
        {
            // Layers share storage (one random layer per model, aliased under every layer name) so a
            // 7B shape fits in memory; every layer is still read and merged, so the bytes are real.
            Dictionary<string, Tensor> Model()
            {
                var layer = new Dictionary<string, Tensor>(); // layer 0's tensors by name within the layer
                var model = new Dictionary<string, Tensor>();
                foreach (var (name, dims) in tensors)
                {
                    int index = ModelInventory.LayerIndex(name);
                    var key = index < 0 ? name : name[$"model.layers.{index}.".Length..];
                    if (index < 0 || !layer.TryGetValue(key, out var t))
                    {
                        t = randn(dims, storage, device, generator: generator)
                            .mul_(0.02)
                            .DetachFromDisposeScope();
                        owned.Add(t);
                        if (index >= 0)
                            layer[key] = t;
                    }
                    model[name] = t;
                }
                return model;
            }
            var models = names.ToDictionary(
                n => n,
                n => (IReadOnlyDictionary<string, Tensor>)Model()
            );
            var target = Model();
            long modelParameters = tensors.Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
            var recipe = BenchRecipe.Of(o.Method, o.Sources);
            merger = new InMemoryMerger(
                models,
                target,
                new MergeOptions(device, Seed: 1, ChunkElements: o.Chunk)
            );
            double merge = BenchTiming.MedianSeconds(device, o.Runs, () => merger.Merge(recipe));
            double sum = BenchTiming.MedianSeconds(
                device,
                o.Runs,
                () =>
                {
                    using var noGrad = no_grad();
                    foreach (var (name, _) in tensors)
                    {
                        var output = target[name];
                        output.copy_(models["base"][name]);
                        foreach (var m in names.Skip(1))
                            output.add_(models[m][name]);
                    }
                }
            );
            double copy = BenchTiming.MedianSeconds(
                device,
                o.Runs,
                () =>
                {
                    foreach (var (name, _) in tensors)
                    foreach (var m in names)
                        target[name].copy_(models[m][name]);
                }
            );
            return new(
                config.NumHiddenLayers,
                modelParameters,
                storage.ToHfName(),
                modelParameters * names.Count * storage.ElementSize(),
                merge,
                sum,
                copy
            );
        }
        finally
        {
            merger?.Dispose();
            foreach (var t in owned)
                t.Dispose();
        }
    }
}
