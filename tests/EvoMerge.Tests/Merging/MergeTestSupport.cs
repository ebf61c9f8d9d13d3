using EvoMerge.Checkpoints.Safetensors;
using TorchSharp;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>Helpers shared by the merge tests: temp folders and tensor comparisons against checkpoints.</summary>
internal static class MergeTestSupport
{
    /// <summary>Largest |a − b| over every tensor of <paramref name="expectedFile"/> against the checkpoint in <paramref name="actualFolder"/>.</summary>
    public static double MaxDifference(string expectedFile, string actualFolder)
    {
        using var expected = CheckpointReader.Open(expectedFile);
        using var actual = CheckpointReader.Open(actualFolder);
        Assert.Equal(expected.Names.OrderBy(n => n), actual.Names.OrderBy(n => n));
        double worst = 0;
        foreach (var name in expected.Names)
        {
            using var scope = torch.NewDisposeScope();
            var e = expected.Load(name, dtype: torch.ScalarType.Float64);
            var a = actual.Load(name, dtype: torch.ScalarType.Float64);
            Assert.Equal(e.shape, a.shape);
            worst = Math.Max(worst, (e - a).abs().max().item<double>());
        }
        return worst;
    }
}
