using CsCheck;
using EvoMerge.Common;
using EvoMerge.Common.Random;
using EvoMerge.Evolution.Optimizers;
using Xunit;

namespace EvoMerge.Tests.Evolution;

/// <summary>Tell gets odd input: it must throw one typed exception and leave the old state usable.</summary>
public class CmaEsTellFuzzTests
{
    static readonly CmaEsOptions Bounded = new() { Bounds = BoxBounds.Uniform(4, 0, 1) };

    static (CmaEsState State, CmaEsCandidates Candidates, double[] Fitness) Generation(ulong seed)
    {
        var state = CmaEs.Start(CmaEsParameters.Create(4, Bounded), [0.3, 0.4, 0.5, 0.6], 0.2);
        var rng = new Xoshiro256StarStar(seed);
        for (var g = 0; g < 3; g++)
        {
            var c = CmaEs.Ask(state, rng);
            state = CmaEs.Tell(state, c, c.Genomes.Select(TestFunctions.Sphere).ToArray());
        }
        var candidates = CmaEs.Ask(state, rng);
        return (state, candidates, candidates.Genomes.Select(TestFunctions.Sphere).ToArray());
    }

    static ValueArray<ValueArray<double>> Replace(
        ValueArray<ValueArray<double>> rows,
        int row,
        int column,
        double value
    )
    {
        var copy = rows.Select(r => r.ToArray()).ToArray();
        copy[row][column] = value;
        return ValueArray.Rows(copy);
    }

    /// <summary>The old state still works: telling it the right values gives what a fresh copy gives.</summary>
    static void AssertStillUsable(
        CmaEsState state,
        CmaEsCandidates candidates,
        double[] fitness,
        string json
    )
    {
        Assert.Equal(json, OptimizerJson.Serialize(state));
        var fromOld = CmaEs.Tell(state, candidates, fitness);
        var fromCopy = CmaEs.Tell(OptimizerJson.Deserialize<CmaEsState>(json), candidates, fitness);
        Assert.Equal(fromCopy, fromOld);
    }

    [Fact]
    public void Each_kind_of_bad_input_throws_OptimizerInputException()
    {
        var (state, candidates, fitness) = Generation(3);
        var json = OptimizerJson.Serialize(state);
        var lambda = fitness.Length;
        var previous = CmaEs.Ask(
            CmaEs.Start(state.Parameters, [0.3, 0.4, 0.5, 0.6], 0.2),
            new Xoshiro256StarStar(3)
        );
        var otherRun = CmaEs.Ask(
            state with
            {
                Sigma = state.Sigma * 2,
            },
            new Xoshiro256StarStar(3)
        ) with
        {
            Generation = state.Generation,
        };

        var cases = new (string Name, Func<CmaEsState> Tell)[]
        {
            (
                "NaN fitness",
                () =>
                    CmaEs.Tell(
                        state,
                        candidates,
                        fitness.Select((f, k) => k == 2 ? double.NaN : f).ToArray()
                    )
            ),
            (
                "+inf fitness",
                () =>
                    CmaEs.Tell(
                        state,
                        candidates,
                        fitness.Select((f, k) => k == 0 ? double.PositiveInfinity : f).ToArray()
                    )
            ),
            (
                "-inf fitness",
                () =>
                    CmaEs.Tell(
                        state,
                        candidates,
                        fitness
                            .Select((f, k) => k == lambda - 1 ? double.NegativeInfinity : f)
                            .ToArray()
                    )
            ),
            ("too few fitness values", () => CmaEs.Tell(state, candidates, fitness[..^1])),
            ("too many fitness values", () => CmaEs.Tell(state, candidates, [.. fitness, 1.0])),
            ("no fitness values", () => CmaEs.Tell(state, candidates, [])),
            (
                "NaN sample",
                () =>
                    CmaEs.Tell(
                        state,
                        candidates with
                        {
                            Samples = Replace(candidates.Samples, 1, 2, double.NaN),
                        },
                        fitness
                    )
            ),
            (
                "NaN genome",
                () =>
                    CmaEs.Tell(
                        state,
                        candidates with
                        {
                            Genomes = Replace(candidates.Genomes, 1, 2, double.NaN),
                        },
                        fitness
                    )
            ),
            (
                "edited genome",
                () =>
                    CmaEs.Tell(
                        state,
                        candidates with
                        {
                            Genomes = Replace(candidates.Genomes, 0, 0, 0.123),
                        },
                        fitness
                    )
            ),
            (
                "short genome",
                () =>
                    CmaEs.Tell(
                        state,
                        candidates with
                        {
                            Genomes = ValueArray.Rows(candidates.Genomes.Select(g => g.Take(3))),
                        },
                        fitness
                    )
            ),
            (
                "missing candidate",
                () =>
                    CmaEs.Tell(
                        state,
                        candidates with
                        {
                            Genomes = ValueArray.Rows(candidates.Genomes.Skip(1)),
                        },
                        fitness
                    )
            ),
            ("stale generation", () => CmaEs.Tell(state, previous, fitness)),
            ("another state's candidates", () => CmaEs.Tell(state, otherRun, fitness)),
        };
        foreach (var (name, tell) in cases)
        {
            var error = Record.Exception(tell);
            Assert.True(
                error is OptimizerInputException,
                $"{name}: {error?.GetType().Name ?? "no exception"}"
            );
            AssertStillUsable(state, candidates, fitness, json);
        }
    }

    [Fact]
    public void Random_corruptions_throw_only_OptimizerInputException_and_never_corrupt_the_state()
    {
        var (state, candidates, fitness) = Generation(9);
        var json = OptimizerJson.Serialize(state);
        var lambda = fitness.Length;
        var special = Gen.OneOf(
            double.NaN,
            double.PositiveInfinity,
            double.NegativeInfinity,
            -0.0,
            1e308,
            -1e308,
            0.5
        );
        var corruption =
            from kind in Gen.Int[0, 4]
            from row in Gen.Int[0, lambda - 1]
            from column in Gen.Int[0, 3]
            from value in special
            from length in Gen.Int[0, 2 * lambda]
            select (kind, row, column, value, length);
        corruption.Sample(
            c =>
            {
                var (kind, row, column, value, length) = c;
                var badFitness = fitness.ToArray();
                var badCandidates = candidates;
                switch (kind)
                {
                    case 0:
                        badFitness[row] = value;
                        break;
                    case 1:
                        badFitness = Enumerable
                            .Range(0, length)
                            .Select(k => fitness[k % lambda])
                            .ToArray();
                        break;
                    case 2:
                        badCandidates = candidates with
                        {
                            Samples = Replace(candidates.Samples, row, column, value),
                        };
                        break;
                    case 3:
                        badCandidates = candidates with
                        {
                            Genomes = Replace(candidates.Genomes, row, column, value),
                        };
                        break;
                    default:
                        badCandidates = candidates with
                        {
                            Generation = row == 0 ? candidates.Generation : row,
                        };
                        break;
                }
                try
                {
                    var next = CmaEs.Tell(state, badCandidates, badFitness);
                    // Accepted only if the input was in fact valid (e.g. the same value written back).
                    Assert.All(next.Mean, m => Assert.True(double.IsFinite(m)));
                    Assert.True(double.IsFinite(next.Sigma));
                }
                catch (OptimizerInputException) { }
                AssertStillUsable(state, candidates, fitness, json);
            },
            iter: 200,
            threads: 1
        );
    }

    [Fact]
    public void Duplicate_candidates_and_tied_fitness_do_not_break_the_run()
    {
        var (state, candidates, _) = Generation(5);
        // Every candidate replaced by a copy of the first, all with the same fitness.
        var lambda = candidates.Samples.Count;
        var duplicated = candidates with
        {
            Samples = ValueArray.Rows(Enumerable.Repeat(candidates.Samples[0], lambda)),
            Genomes = ValueArray.Rows(Enumerable.Repeat(candidates.Genomes[0], lambda)),
        };
        var next = CmaEs.Tell(state, duplicated, Enumerable.Repeat(1.0, lambda).ToArray());
        Assert.All(next.Mean, m => Assert.True(double.IsFinite(m)));
        Assert.All(next.Covariance, c => Assert.True(double.IsFinite(c)));
        Assert.True(next.Sigma > 0 && double.IsFinite(next.Sigma));
        Assert.Equal(state.Best, next.Best); // the earlier, better candidate stays the best

        // ... and the run still converges from there.
        var options = next.Parameters.Termination with
        {
            TargetFitness = 1e-10,
        };
        var finished = CmaEs.Minimize(
            next with
            {
                Parameters = next.Parameters with { Termination = options },
            },
            TestFunctions.Sphere,
            new Xoshiro256StarStar(5)
        );
        Assert.Equal(CmaEsStopReason.TargetFitness, finished.Stop);
    }
}
