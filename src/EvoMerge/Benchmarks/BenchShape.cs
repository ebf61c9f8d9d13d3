using EvoMerge.Checkpoints.Config;
using EvoMerge.Common;

namespace EvoMerge.Benchmarks;

/// <summary>
/// A named model geometry for benchmarks: the <see cref="HfConfig"/> a checkpoint of that shape would
/// load, so a benchmark builds random weights of a real model's shape without the checkpoint.
/// </summary>
/// <param name="Name">What <c>--shape</c> accepts.</param>
/// <param name="Description">The model it copies and its geometry, for help texts.</param>
/// <param name="Parameters">Parameters of the model <paramref name="Config"/> builds (a test checks it).</param>
/// <param name="Config">The decoder's config.</param>
public sealed record BenchShape(string Name, string Description, long Parameters, HfConfig Config)
{
    /// <summary>The config with <paramref name="layers"/> decoder layers (null: the shape's own).</summary>
    public HfConfig WithLayers(int? layers) => layers is int n ? WithLayers(Config, n) : Config;

    /// <summary><paramref name="config"/> with <paramref name="layers"/> decoder layers of its first layer's attention type.</summary>
    internal static HfConfig WithLayers(HfConfig config, int layers) =>
        layers > 0
            ? config with
            {
                NumHiddenLayers = layers,
                LayerTypes = Enumerable.Repeat(config.LayerTypes[0], layers).ToValueArray(),
            }
            : throw new ArgumentOutOfRangeException(
                nameof(layers),
                layers,
                "decoder layers must be positive"
            );
}
