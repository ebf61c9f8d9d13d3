using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Models;

/// <summary>The transformers reference dump beside each fixture model, and a max-|Δ| helper.</summary>
internal static class Reference
{
    public static readonly TheoryData<string> ModelFixtures = new()
    {
        "llama-tiny",
        "mistral-tiny-sharded",
        "qwen2-tiny",
    };

    public static string ModelDir(string fixture) => Fixtures.Path(Path.Combine("models", fixture));

    public static string File(string fixture) =>
        Path.Combine(ModelDir(fixture), "reference.safetensors");

    public static Tensor Load(string fixture, string name)
    {
        using var reader = CheckpointReader.Open(File(fixture));
        return reader.Load(name);
    }

    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        using var scope = NewDisposeScope();
        Assert.Equal(b.shape, a.shape);
        return (a.to_type(ScalarType.Float64) - b.to_type(ScalarType.Float64))
            .abs()
            .max()
            .item<double>();
    }

    public static long[] Row(Tensor ids, int row, int start = 0)
    {
        var all = ids[row].data<long>().ToArray();
        return all[start..];
    }
}
