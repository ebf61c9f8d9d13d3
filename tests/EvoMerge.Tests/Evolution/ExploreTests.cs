using System.Diagnostics;
using EvoMerge.Evolution.Optimizers;
using Xunit;
using Xunit.Abstractions;

namespace EvoMerge.Tests.Evolution;

public class ExploreTests(ITestOutputHelper output)
{
    [Fact]
    public void Explore2()
    {
        foreach (var seed in new ulong[] { 1, 2, 3 })
        {
            var sw = Stopwatch.StartNew();
            var ip = IpopCmaEs.Start(5, Enumerable.Repeat(3.0, 5).ToArray(), 2.0, new CmaEsOptions { Termination = new CmaEsTermination { TargetFitness = 1e-8, MaxEvaluations = 200_000 } });
            ip = IpopCmaEs.Minimize(ip, TestFunctions.Rastrigin, new Xoshiro256StarStar(seed));
            output.WriteLine($"rastrigin seed {seed}: {ip.Evaluations} {ip.Stop} restarts {ip.Restarts} lambda {ip.Current.Parameters.PopulationSize} {ip.Best!.Fitness:E2} {sw.ElapsedMilliseconds}ms");
            sw.Restart();
            var single = CmaEs.Minimize(CmaEs.Start(CmaEsParameters.Create(5), Enumerable.Repeat(3.0, 5).ToArray(), 2.0), TestFunctions.Rastrigin, new Xoshiro256StarStar(seed));
            output.WriteLine($"rastrigin single seed {seed}: {single.Evaluations} {single.Stop} {single.Best!.Fitness:E2}");
            foreach (var (name, f) in new (string, Func<ValueArray<double>, IReadOnlyList<double>>)[] { ("zdt1", TestFunctions.Zdt1), ("zdt2", TestFunctions.Zdt2) })
            {
                sw.Restart();
                var st = Nsga2.Start(Nsga2Parameters.Create(BoxBounds.Uniform(30, 0, 1), 2));
                st = Nsga2.Minimize(st, f, 250, new Xoshiro256StarStar(seed));
                var hv = Hypervolume2D.Compute(st.ParetoFront.Select(x => (IReadOnlyList<double>)x.Objectives), 1.1, 1.1);
                output.WriteLine($"{name} seed {seed}: hv {hv:F5} front {st.ParetoFront.Count} {sw.ElapsedMilliseconds}ms");
            }
        }
    }
}
