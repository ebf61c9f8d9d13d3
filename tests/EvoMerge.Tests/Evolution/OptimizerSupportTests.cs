using EvoMerge.Common;
using EvoMerge.Common.Random;
using EvoMerge.Evolution.Optimizers;
using Xunit;

namespace EvoMerge.Tests.Evolution;

public class OptimizerSupportTests
{
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
