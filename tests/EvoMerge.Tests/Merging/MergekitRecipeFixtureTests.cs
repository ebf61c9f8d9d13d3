using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Commands;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>
/// The mergekit recipes of merges/llama-family/recipes (multislerp, karcher, sce, nearswap,
/// arcee_fusion, ram, ramplus_tl; two cases each), run unchanged through the `merge` command's
/// handler, must reproduce mergekit's tensors to 1e-6. arcee_fusion's fusion decision is
/// ill-conditioned in float32 inside mergekit itself: where fragile.&lt;case&gt; marks an element,
/// either the base's value or the fused one is accepted.
/// </summary>
public sealed class MergekitRecipeFixtureTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-recipes-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string>();
        foreach (
            var file in Directory
                .GetFiles(Path.Combine(Family, "recipes"), "*.yaml")
                .Order(StringComparer.Ordinal)
        )
            data.Add(Path.GetFileNameWithoutExtension(file));
        return data;
    }

    /// <summary>The case's recipe with <c>{FAMILY}</c> replaced by the fixture folder (as text, before parsing).</summary>
    internal static string Recipe(string caseName) =>
        File.ReadAllText(Path.Combine(Family, "recipes", caseName + ".yaml"))
            .Replace("{FAMILY}", Family, StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(Cases))]
    public void Reproduces_mergekit(string caseName)
    {
        var yamlPath = Path.Combine(_dir, caseName + ".yaml");
        File.WriteAllText(yamlPath, Recipe(caseName));
        var output = Path.Combine(_dir, "out-" + caseName);
        Assert.Equal(0, MergeCommand.Run(yamlPath, output, "cpu", 0, "5GB", showProgress: false));
        var fragilePath = Path.Combine(Family, $"fragile.{caseName}.safetensors");
        double worst = File.Exists(fragilePath)
            ? WorstOutsideFragile(caseName, output, fragilePath)
            : MergeTestSupport.MaxDifference(
                Path.Combine(Family, $"expected.{caseName}.safetensors"),
                output
            );
        Assert.True(worst <= 1e-6, $"{caseName}: max |Δ| = {worst:E3}");
    }

    /// <summary>
    /// Max |Δ| over the unmarked elements; each marked element must equal base or base + (other − base)
    /// (to 1e-6), and a fragile file that marks everything would make the test vacuous, so at most 1% may be marked.
    /// </summary>
    static double WorstOutsideFragile(string caseName, string output, string fragilePath)
    {
        var recipe = Recipe(caseName);
        string ModelOf(string key) =>
            recipe
                .Split('\n')
                .First(l => l.TrimStart().StartsWith(key, StringComparison.Ordinal))
                .Split(':', 2)[1]
                .Trim();
        var baseName = ModelOf("base_model:");
        var otherName = recipe
            .Split('\n')
            .Where(l => l.TrimStart().StartsWith("- model:", StringComparison.Ordinal))
            .Select(l => l.Split(':', 2)[1].Trim())
            .Single(m => m != baseName);
        using var expected = CheckpointReader.Open(
            Path.Combine(Family, $"expected.{caseName}.safetensors")
        );
        using var fragile = CheckpointReader.Open(fragilePath);
        using var actual = CheckpointReader.Open(output);
        using var baseModel = CheckpointReader.Open(baseName);
        using var other = CheckpointReader.Open(otherName);
        Assert.Equal(expected.Names.Order(), actual.Names.Order());
        double worst = 0;
        long marked = 0,
            total = 0;
        foreach (var name in expected.Names)
        {
            using var scope = torch.NewDisposeScope();
            var f64 = torch.ScalarType.Float64;
            var e = expected.Load(name, dtype: f64);
            var a = actual.Load(name, dtype: f64);
            Assert.Equal(e.shape, a.shape); // element-wise comparisons below would broadcast
            var isFragile = fragile.Load(name, dtype: f64).eq(1);
            var b = baseModel.Load(name, dtype: torch.ScalarType.Float32);
            var fused = (b + (other.Load(name, dtype: torch.ScalarType.Float32) - b)).to(f64);
            var steady = (e - a).abs().masked_fill(isFragile, 0);
            worst = Math.Max(worst, steady.max().item<double>());
            var either = torch.minimum((a - b.to(f64)).abs(), (a - fused).abs());
            worst = Math.Max(
                worst,
                either.masked_fill(isFragile.logical_not(), 0).max().item<double>()
            );
            marked += isFragile.sum().item<long>();
            total += e.numel();
        }
        Assert.True(
            marked <= total / 100,
            $"{caseName}: {marked} of {total} elements marked fragile"
        );
        return worst;
    }
}
