using EvoMerge.Common;
using EvoMerge.Evolution.Optimizers;

namespace EvoMerge.Tests.Evolution;

/// <summary>Standard benchmark functions (minimization), as in pycma's cma.ff.</summary>
static class TestFunctions
{
    public static double Sphere(ValueArray<double> x) => x.Sum(v => v * v);

    /// <summary>Axis-parallel ellipsoid with condition number 1e6: Σ 10^(6 i/(n−1)) xᵢ².</summary>
    public static double Ellipsoid(ValueArray<double> x)
    {
        var scales = EllipsoidScales(x.Count);
        var sum = 0.0;
        for (var i = 0; i < x.Count; i++)
            sum += scales[i] * x[i] * x[i];
        return sum;
    }

    static double[] EllipsoidScales(int n)
    {
        if (ellipsoidScales?.Length != n)
            ellipsoidScales = Enumerable
                .Range(0, n)
                .Select(i => Math.Pow(1e6, n == 1 ? 0 : i / (n - 1.0)))
                .ToArray();
        return ellipsoidScales;
    }

    [ThreadStatic]
    static double[]? ellipsoidScales;

    public static double Rosenbrock(ValueArray<double> x)
    {
        var sum = 0.0;
        for (var i = 0; i < x.Count - 1; i++)
            sum += 100 * Math.Pow(x[i + 1] - x[i] * x[i], 2) + Math.Pow(1 - x[i], 2);
        return sum;
    }

    public static double Rastrigin(ValueArray<double> x) =>
        10 * x.Count + x.Sum(v => v * v - 10 * Math.Cos(2 * Math.PI * v));

    /// <summary>ZDT1 (Zitzler, Deb, Thiele 2000) on [0, 1]ⁿ: f₁ = x₁, f₂ = g(1 − √(f₁/g)).</summary>
    public static double[] Zdt1(ValueArray<double> x)
    {
        var g = 1 + 9 * x.Skip(1).Sum() / (x.Count - 1);
        return [x[0], g * (1 - Math.Sqrt(x[0] / g))];
    }

    /// <summary>ZDT2: f₁ = x₁, f₂ = g(1 − (f₁/g)²) (a concave front).</summary>
    public static double[] Zdt2(ValueArray<double> x)
    {
        var g = 1 + 9 * x.Skip(1).Sum() / (x.Count - 1);
        return [x[0], g * (1 - Math.Pow(x[0] / g, 2))];
    }
}
