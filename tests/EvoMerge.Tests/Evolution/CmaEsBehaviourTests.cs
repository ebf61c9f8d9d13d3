using EvoMerge.Common;
using EvoMerge.Common.Random;
using EvoMerge.Evolution.Optimizers;
using Xunit;

namespace EvoMerge.Tests.Evolution;

public class CmaEsBehaviourTests
{
    [Fact]
    public void Parameters_for_n10_match_the_tutorial_formulas()
    {
        var p = CmaEsParameters.Create(10);
        // Values worked out by hand from eqs. 48–58 (and equal to pycma's for n = 10).
        Assert.Equal(10, p.PopulationSize); // 4 + ⌊3 ln 10⌋
        Assert.Equal(5, p.Mu);
        Assert.Equal(10, p.Weights.Count);
        Assert.Equal(1.0, p.Weights.Take(5).Sum(), 12);
        Assert.True(p.Weights.Take(5).Zip(p.Weights.Skip(1).Take(4)).All(w => w.First > w.Second));
        Assert.All(p.Weights.Skip(5), w => Assert.Equal(0, w)); // no active CMA unless asked
        // w'ᵢ = ln 5.5 − ln i: 1.70475, 1.01160, 0.60614, 0.31845, 0.09531; μ_eff = (Σw')²/Σw'².
        Assert.Equal(3.16730, p.MuEff, 5);
        const double muEff = 3.16730;
        Assert.Equal((muEff + 2) / (10 + muEff + 5), p.CSigma, 5);
        Assert.Equal(1 + (muEff + 2) / (10 + muEff + 5), p.DSigma, 5); // √((μ_eff−1)/11) < 1: the max term is 0
        Assert.Equal((4 + muEff / 10) / (14 + 2 * muEff / 10), p.Cc, 5);
        Assert.Equal(2 / (11.3 * 11.3 + muEff), p.C1, 6);
        Assert.Equal(2 * (muEff - 2 + 1 / muEff) / (144 + muEff), p.CMu, 5);
        Assert.Equal(3.0847, p.ExpectedNorm, 4);
        Assert.Equal(CovarianceModel.Full, p.Covariance);
    }

    [Fact]
    public void Active_weights_follow_eqs_50_to_53()
    {
        foreach (var (n, lambda) in new[] { (10, 10), (10, 11), (5, 40), (200, 19) })
        {
            var passive = CmaEsParameters.Create(n, new CmaEsOptions { PopulationSize = lambda });
            var p = CmaEsParameters.Create(
                n,
                new CmaEsOptions { PopulationSize = lambda, Active = true }
            );
            Assert.Equal(passive.Weights.Take(p.Mu), p.Weights.Take(p.Mu)); // positive part unchanged
            Assert.True(p.Weights.Zip(p.Weights.Skip(1)).All(w => w.First >= w.Second));
            var negative = p.Weights.Where(w => w < 0).ToArray();
            Assert.Equal(lambda - p.Mu - (lambda % 2), negative.Length); // odd λ: the middle weight is 0
            // Σ w⁻ = −min(α_μ⁻, α_μeff⁻, α_posdef⁻), with μ⁻_eff from the unscaled negative w'.
            var raw = Enumerable
                .Range(p.Mu + 1 + lambda % 2, negative.Length)
                .Select(i => Math.Log((lambda + 1) / 2.0) - Math.Log(i))
                .ToArray();
            var muEffMinus = raw.Sum() * raw.Sum() / raw.Sum(w => w * w);
            var alpha = Math.Min(
                1 + p.C1 / p.CMu,
                Math.Min(1 + 2 * muEffMinus / (p.MuEff + 2), (1 - p.C1 - p.CMu) / (n * p.CMu))
            );
            Assert.Equal(-alpha, negative.Sum(), 12);
        }
    }

    [Fact]
    public void Separable_learning_rates_are_scaled_by_n_plus_2_over_3()
    {
        var full = CmaEsParameters.Create(
            50,
            new CmaEsOptions { Covariance = CovarianceModel.Full }
        );
        var sep = CmaEsParameters.Create(
            50,
            new CmaEsOptions { Covariance = CovarianceModel.Separable }
        );
        Assert.Equal(full.C1 * 52 / 3, sep.C1, 12);
        Assert.Equal(full.CMu * 52 / 3, sep.CMu, 12);
        Assert.Equal(CovarianceModel.Full, CmaEsParameters.Create(100).Covariance);
        Assert.Equal(CovarianceModel.Separable, CmaEsParameters.Create(101).Covariance);
    }

    [Fact]
    public void Bounded_candidates_stay_inside_and_reach_an_optimum_on_the_bound()
    {
        // Optimum (1.3, −0.2, 0.5, 0.5, 0.98) projected onto [0, 1]⁵ is (1, 0, 0.5, 0.5, 0.98).
        double[] centre = [1.3, -0.2, 0.5, 0.5, 0.98];
        double f(ValueArray<double> x) =>
            x.Select((v, i) => (v - centre[i]) * (v - centre[i])).Sum();
        var bounds = BoxBounds.Uniform(5, 0, 1);
        var options = new CmaEsOptions
        {
            Bounds = bounds,
            Termination = new CmaEsTermination { MaxEvaluations = 3000 },
        };
        var state = CmaEs.Start(
            CmaEsParameters.Create(5, options),
            [0.5, 0.5, 0.5, 0.5, 0.5],
            1.0 / 6
        );
        var rng = new Xoshiro256StarStar(7);
        var asked = 0;
        while (state.Stop is null)
        {
            var candidates = CmaEs.Ask(state, rng);
            foreach (var genome in candidates.Genomes)
            {
                Assert.True(bounds.Contains(genome.AsSpan()), $"{genome} is outside [0, 1]");
                asked++;
            }
            state = CmaEs.Tell(state, candidates, candidates.Genomes.Select(f).ToArray());
        }
        Assert.Equal(state.Evaluations, asked);
        double[] expected = [1, 0, 0.5, 0.5, 0.98];
        for (var i = 0; i < 5; i++)
            Assert.Equal(expected[i], state.Best!.Genome[i], 6);
        Assert.Equal(0.09 + 0.04, state.Best!.Fitness, 9);
        Assert.True(bounds.Contains(state.MeanGenome.AsSpan()));
    }

    [Fact]
    public void Bound_transform_is_identity_inside_smooth_at_the_margins_and_always_feasible()
    {
        Assert.Equal(0.5, BoundTransform.Apply(0, 1, 0.5));
        Assert.Equal(0.2, BoundTransform.Apply(0, 1, 0.2));
        // Value and slope continuous where the quadratic meets the identity (lb + 0.05 for [0, 1]).
        Assert.Equal(
            BoundTransform.Apply(0, 1, 0.05 - 1e-9),
            BoundTransform.Apply(0, 1, 0.05 + 1e-9),
            8
        );
        Assert.Equal(0, BoundTransform.Apply(0, 1, -0.05));
        Assert.Equal(1, BoundTransform.Apply(0, 1, 1.1));
        foreach (
            var x in new[] { -1e300, -1e9, -3.7, -0.05, 0, 0.99, 1.05, 2.4, 17.3, 1e12, 1e300 }
        )
            Assert.InRange(BoundTransform.Apply(-2, 3, x), -2, 3);
        var bounds = new BoxBounds(ValueArray.From([0.0, -2.0]), ValueArray.From([1.0, 3.0]));
        foreach (var y in new[] { 0.0, 0.001, 0.04, 0.5, 0.97, 1.0 })
        {
            var back = BoundTransform.Apply(bounds, BoundTransform.Inverse(bounds, [y, 2 * y]));
            Assert.Equal(y, back[0], 12);
            Assert.Equal(2 * y, back[1], 12);
        }
    }

    [Fact]
    public void Json_round_trip_mid_run_continues_identically()
    {
        var options = new CmaEsOptions
        {
            Bounds = BoxBounds.Uniform(6, -2, 2),
            Termination = new CmaEsTermination { TargetFitness = 1e-10 },
        };
        var start = CmaEs.Start(
            CmaEsParameters.Create(6, options),
            [0.1, 0.1, 0.1, 0.1, 0.1, 0.1],
            0.5
        );

        var uninterrupted = CmaEs.Minimize(
            start,
            TestFunctions.Rosenbrock,
            new Xoshiro256StarStar(42)
        );

        var state = start;
        var rng = new Xoshiro256StarStar(42);
        for (var g = 0; g < 40; g++)
        {
            var c = CmaEs.Ask(state, rng);
            state = CmaEs.Tell(state, c, c.Genomes.Select(TestFunctions.Rosenbrock).ToArray());
        }
        // Candidates asked but not yet told survive a round trip too (a crash mid-evaluation).
        var pending = CmaEs.Ask(state, new Xoshiro256StarStar(rng.State));
        var pendingBack = OptimizerJson.Deserialize<CmaEsCandidates>(
            OptimizerJson.Serialize(pending)
        );
        Assert.Equal(pending, pendingBack);
        var pendingFitness = pending.Genomes.Select(TestFunctions.Rosenbrock).ToArray();
        Assert.Equal(
            CmaEs.Tell(state, pending, pendingFitness),
            CmaEs.Tell(state, pendingBack, pendingFitness)
        );

        var savedState = OptimizerJson.Serialize(state);
        var savedRng = OptimizerJson.Serialize(rng.State);
        var restored = OptimizerJson.Deserialize<CmaEsState>(savedState);
        Assert.Equal(state, restored);
        Assert.Equal(savedState, OptimizerJson.Serialize(restored));
        var resumed = CmaEs.Minimize(
            restored,
            TestFunctions.Rosenbrock,
            new Xoshiro256StarStar(OptimizerJson.Deserialize<RngState>(savedRng))
        );

        Assert.Equal(CmaEsStopReason.TargetFitness, uninterrupted.Stop);
        Assert.Equal(uninterrupted, resumed);
        Assert.Equal(OptimizerJson.Serialize(uninterrupted), OptimizerJson.Serialize(resumed));
    }

    [Fact]
    public void Ipop_state_round_trips_across_a_restart()
    {
        var options = new CmaEsOptions
        {
            Bounds = BoxBounds.Uniform(4, -5, 5),
            Termination = new CmaEsTermination { TargetFitness = 1e-8, MaxEvaluations = 30_000 },
        };
        var ipop = new IpopOptions { RandomRestartMean = true, RestartSeed = 11 };
        var start = IpopCmaEs.Start(4, [3.0, 3.0, 3.0, 3.0], 2.0, options, ipop);
        var uninterrupted = IpopCmaEs.Minimize(
            start,
            TestFunctions.Rastrigin,
            new Xoshiro256StarStar(5)
        );
        Assert.True(uninterrupted.Restarts >= 1);

        var state = start;
        var rng = new Xoshiro256StarStar(5);
        while (state.Restarts == 0)
        {
            var c = IpopCmaEs.Ask(state, rng);
            state = IpopCmaEs.Tell(state, c, c.Genomes.Select(TestFunctions.Rastrigin).ToArray());
        }
        var restored = OptimizerJson.Deserialize<IpopState>(OptimizerJson.Serialize(state));
        Assert.Equal(state, restored);
        var resumed = IpopCmaEs.Minimize(
            restored,
            TestFunctions.Rastrigin,
            new Xoshiro256StarStar(
                OptimizerJson.Deserialize<RngState>(OptimizerJson.Serialize(rng.State))
            )
        );
        Assert.Equal(uninterrupted, resumed);
        Assert.Equal(
            uninterrupted.Evaluations,
            uninterrupted.PreviousEvaluations + uninterrupted.Current.Evaluations
        );
    }

    [Fact]
    public void Stopping_criteria_are_recorded()
    {
        var flat = CmaEs.Minimize(
            CmaEs.Start(CmaEsParameters.Create(3), [0.0, 0.0, 0.0], 1.0),
            _ => 42.0,
            new Xoshiro256StarStar(1)
        );
        Assert.Equal(CmaEsStopReason.TolFun, flat.Stop);
        Assert.Equal(10, flat.Generation); // ten equal generation bests

        var budget = new CmaEsOptions
        {
            Termination = new CmaEsTermination { MaxEvaluations = 100 },
        };
        var spent = CmaEs.Minimize(
            CmaEs.Start(CmaEsParameters.Create(10, budget), new double[10], 1.0),
            TestFunctions.Rosenbrock,
            new Xoshiro256StarStar(1)
        );
        Assert.Equal(CmaEsStopReason.MaxEvaluations, spent.Stop);
        Assert.Equal(100, spent.Evaluations);

        // Without a target, the sphere run ends on its own once the distribution has collapsed.
        var free = CmaEs.Minimize(
            CmaEs.Start(CmaEsParameters.Create(4), [1.0, 1.0, 1.0, 1.0], 1.0),
            TestFunctions.Sphere,
            new Xoshiro256StarStar(1)
        );
        Assert.Contains(
            free.Stop,
            new CmaEsStopReason?[]
            {
                CmaEsStopReason.TolFun,
                CmaEsStopReason.TolX,
                CmaEsStopReason.NoEffectCoordinate,
                CmaEsStopReason.NoEffectAxis,
            }
        );
        Assert.True(free.Best!.Fitness < 1e-10);

        // A needle-thin ellipsoid drives cond(C) past 1e14 before anything else fires.
        var thin = new CmaEsOptions
        {
            Termination = new CmaEsTermination { TolFun = 0, MaxCondition = 1e8 },
        };
        var conditioned = CmaEs.Minimize(
            CmaEs.Start(CmaEsParameters.Create(2, thin), [1.0, 1.0], 1.0),
            x => x[0] * x[0] + 1e12 * x[1] * x[1],
            new Xoshiro256StarStar(1)
        );
        Assert.Equal(CmaEsStopReason.ConditionCov, conditioned.Stop);

        Assert.Throws<InvalidOperationException>(() => CmaEs.Ask(flat, new Xoshiro256StarStar(1)));
    }

    [Fact]
    public void Start_rejects_bad_settings()
    {
        Assert.Throws<OptimizerInputException>(() => CmaEsParameters.Create(0));
        Assert.Throws<OptimizerInputException>(() =>
            CmaEsParameters.Create(3, new CmaEsOptions { PopulationSize = 1 })
        );
        Assert.Throws<OptimizerInputException>(() =>
            CmaEsParameters.Create(3, new CmaEsOptions { Bounds = BoxBounds.Uniform(2, 0, 1) })
        );
        Assert.Throws<OptimizerInputException>(() => BoxBounds.Uniform(2, 1, 0));
        var p = CmaEsParameters.Create(3);
        Assert.Throws<OptimizerInputException>(() => CmaEs.Start(p, [0.0, 0.0], 1));
        Assert.Throws<OptimizerInputException>(() => CmaEs.Start(p, [0.0, double.NaN, 0.0], 1));
        Assert.Throws<OptimizerInputException>(() => CmaEs.Start(p, [0.0, 0.0, 0.0], 0));
        Assert.Throws<OptimizerInputException>(() =>
            IpopCmaEs.Start(
                3,
                [0.0, 0.0, 0.0],
                1,
                ipop: new IpopOptions { RandomRestartMean = true }
            )
        );
    }
}
