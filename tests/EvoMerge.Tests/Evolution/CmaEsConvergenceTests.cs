using System.Diagnostics;
using EvoMerge.Evolution.Optimizers;
using Xunit;
using Xunit.Abstractions;

namespace EvoMerge.Tests.Evolution;

public class CmaEsConvergenceTests(ITestOutputHelper output)
{
    static CmaEsState Run(int n, Func<ValueArray<double>, double> f, double x0, double sigma, ulong seed, CmaEsOptions? options = null, double target = 1e-10)
    {
        options ??= new CmaEsOptions();
        options = options with { Termination = options.Termination with { TargetFitness = target } };
        var state = CmaEs.Start(CmaEsParameters.Create(n, options), Enumerable.Repeat(x0, n).ToArray(), sigma);
        return CmaEs.Minimize(state, f, new Xoshiro256StarStar(seed));
    }

    [Fact]
    public void Explore()
    {
        foreach (var seed in new ulong[] { 1, 2, 3 })
        {
            var sw = Stopwatch.StartNew();
            var s = Run(10, TestFunctions.Sphere, 0.5, 0.5, seed);
            output.WriteLine($"sphere seed {seed}: {s.Evaluations} {s.Stop} {s.Best!.Fitness:E2} {sw.ElapsedMilliseconds}ms");
            sw.Restart();
            s = Run(10, TestFunctions.Rosenbrock, 0.1, 0.5, seed, target: 1e-12);
            output.WriteLine($"rosen seed {seed}: {s.Evaluations} {s.Stop} {s.Best!.Fitness:E2} {sw.ElapsedMilliseconds}ms");
            sw.Restart();
            s = Run(10, TestFunctions.Ellipsoid, 0.5, 0.5, seed);
            output.WriteLine($"elli seed {seed}: {s.Evaluations} {s.Stop} {s.Best!.Fitness:E2} {sw.ElapsedMilliseconds}ms");
            sw.Restart();
            s = Run(200, TestFunctions.Sphere, 0.5, 0.5, seed);
            output.WriteLine($"sep sphere200 seed {seed}: {s.Evaluations} {s.Stop} {s.Best!.Fitness:E2} {s.Parameters.Covariance} {sw.ElapsedMilliseconds}ms");
            sw.Restart();
            s = Run(200, TestFunctions.Ellipsoid, 0.5, 0.5, seed);
            output.WriteLine($"sep elli200 seed {seed}: {s.Evaluations} {s.Stop} {s.Best!.Fitness:E2} {s.Parameters.Covariance} {sw.ElapsedMilliseconds}ms");
        }
    }
}
