using EvoMerge.Common;
using EvoMerge.Evolution.Optimizers;
using Xunit;

namespace EvoMerge.Tests.Evolution;

public class OptimizerSupportTests
{
    [Fact]
    public void Xoshiro_matches_the_reference_stream()
    {
        // The reference C code from state {1, 2, 3, 4} (values as in rand_xoshiro's tests).
        var rng = new Xoshiro256StarStar(new RngState(1, 2, 3, 4, null));
        ulong[] expected =
        [
            11520,
            0,
            1509978240,
            1215971899390074240,
            1216172134540287360,
            607988272756665600,
            16172922978634559625,
            8476171486693032832,
            10595114339597558777,
            2904607092377533576,
        ];
        Assert.Equal(expected, Enumerable.Range(0, 10).Select(_ => rng.NextUInt64()).ToArray());
        // SplitMix64's first output from 0 seeds word 0.
        Assert.Equal(0xE220A8397B1DCDAFUL, new Xoshiro256StarStar(0).State.S0);
    }

    [Fact]
    public void Xoshiro_state_resumes_mid_pair_and_normals_look_normal()
    {
        var rng = new Xoshiro256StarStar(123);
        rng.NextGaussian(); // leaves a spare normal in the state
        var copy = new Xoshiro256StarStar(
            OptimizerJson.Deserialize<RngState>(OptimizerJson.Serialize(rng.State))
        );
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal(rng.NextGaussian(), copy.NextGaussian());
            Assert.Equal(rng.NextInt(7), copy.NextInt(7));
        }
        var samples = Enumerable.Range(0, 200_000).Select(_ => rng.NextGaussian()).ToArray();
        var mean = samples.Average();
        var variance = samples.Select(x => (x - mean) * (x - mean)).Average();
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(variance, 0.98, 1.02);
        Assert.InRange(samples.Count(x => Math.Abs(x) > 1.96) / 200_000.0, 0.047, 0.053);
        var counts = new int[5];
        for (var i = 0; i < 50_000; i++)
            counts[rng.NextInt(5)]++;
        Assert.All(counts, c => Assert.InRange(c, 9_600, 10_400));
        Assert.Throws<ArgumentException>(() =>
            new Xoshiro256StarStar(new RngState(0, 0, 0, 0, null))
        );
    }

    [Fact]
    public void Jacobi_eigendecomposition_reconstructs_random_symmetric_matrices()
    {
        var rng = new Xoshiro256StarStar(3);
        foreach (var n in new[] { 1, 2, 5, 12, 30 })
        {
            var a = new double[n * n];
            for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
                a[i * n + j] = a[j * n + i] = rng.NextGaussian();
            var (values, vectors) = SymmetricEigen.Decompose(a, n);
            Assert.True(values.Zip(values.Skip(1)).All(p => p.First <= p.Second));
            for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
            {
                double reconstructed = 0,
                    gram = 0;
                for (var k = 0; k < n; k++)
                {
                    reconstructed += vectors[i * n + k] * values[k] * vectors[j * n + k]; // (V Λ Vᵀ)ᵢⱼ
                    gram += vectors[k * n + i] * vectors[k * n + j]; // (Vᵀ V)ᵢⱼ
                }
                Assert.Equal(a[i * n + j], reconstructed, 10);
                Assert.Equal(i == j ? 1 : 0, gram, 10);
            }
        }
        var (twoValues, _) = SymmetricEigen.Decompose([2, 1, 1, 2], 2);
        Assert.Equal(1, twoValues[0], 14);
        Assert.Equal(3, twoValues[1], 14);
    }

    [Fact]
    public void Value_arrays_compare_by_content_and_serialize_as_json_arrays()
    {
        var a = ValueArray.From([1.0, 2.5]);
        var b = ValueArray.From([1.0, 2.5]);
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, ValueArray.From([1.0]));
        Assert.Equal("[1,2.5]", OptimizerJson.Serialize(a).Replace("\n", "").Replace(" ", ""));
        Assert.Equal(
            ValueArray.From([0.1, 1e-300, -7.0]),
            OptimizerJson.Deserialize<ValueArray<double>>("[0.1, 1e-300, -7]")
        );
        Assert.Equal(new BestCandidate(a, 1, 2), new BestCandidate(b, 1, 2));
    }
}
