using System.Text.Json.Serialization;
using EvoMerge.Common;
using EvoMerge.Common.Random;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>Restart settings for <see cref="IpopCmaEs"/>.</summary>
public sealed record IpopOptions
{
    /// <summary>How many times a stopped run may be restarted.</summary>
    public int MaxRestarts { get; init; } = 9;

    /// <summary>λ is multiplied by this on each restart (Auger &amp; Hansen 2005 use 2).</summary>
    public double PopulationGrowth { get; init; } = 2;

    /// <summary>
    /// Restart from a uniformly random mean inside the bounds (needs bounds) instead of the initial mean.
    /// The mean is drawn from a generator seeded by (<see cref="RestartSeed"/>, restart number), so Tell stays free of RNG arguments.
    /// </summary>
    public bool RandomRestartMean { get; init; }

    /// <summary>Seed for random restart means.</summary>
    public ulong RestartSeed { get; init; }
}

/// <summary>The state of an IPOP-CMA-ES run: the current CMA-ES run plus what the restarts need.</summary>
public sealed record IpopState
{
    /// <summary>Options of the first run; <see cref="CmaEsTermination.MaxEvaluations"/> and <see cref="CmaEsTermination.TargetFitness"/> apply to the whole IPOP run.</summary>
    public required CmaEsOptions Options { get; init; }

    /// <summary>Restart settings.</summary>
    public required IpopOptions Ipop { get; init; }

    /// <summary>The initial mean (genome space), reused by restarts unless they draw a random one.</summary>
    public required ValueArray<double> InitialMean { get; init; }

    /// <summary>Restarts made so far.</summary>
    public required int Restarts { get; init; }

    /// <summary>Evaluations spent by the finished runs before <see cref="Current"/>.</summary>
    public required long PreviousEvaluations { get; init; }

    /// <summary>The CMA-ES run in progress.</summary>
    public required CmaEsState Current { get; init; }

    /// <summary>The best candidate over all runs (its evaluation number counts across runs).</summary>
    public BestCandidate? Best { get; init; }

    /// <summary>Why IPOP stopped (the last run's reason), or null while it goes on.</summary>
    public CmaEsStopReason? Stop { get; init; }

    /// <summary>Evaluations over all runs.</summary>
    [JsonIgnore]
    public long Evaluations => PreviousEvaluations + Current.Evaluations;
}

/// <summary>
/// IPOP-CMA-ES (Auger &amp; Hansen, "A Restart CMA Evolution Strategy With Increasing Population
/// Size", CEC 2005): when a run stops for any reason but the target or the budget, start again with
/// λ doubled and σ₀ unchanged. A larger population smooths multimodal landscapes (Rastrigin).
/// Same ask/tell shape and minimization convention as <see cref="CmaEs"/>.
/// </summary>
public static class IpopCmaEs
{
    /// <summary>The first run, with λ from <paramref name="options"/> (default 4 + ⌊3 ln n⌋).</summary>
    public static IpopState Start(
        int dimension,
        IReadOnlyList<double> initialMean,
        double initialSigma,
        CmaEsOptions? options = null,
        IpopOptions? ipop = null
    )
    {
        options ??= new CmaEsOptions();
        ipop ??= new IpopOptions();
        if (ipop.RandomRestartMean && options.Bounds is null)
            throw new OptimizerInputException("Random restart means need bounds to draw from.");
        if (!(ipop.PopulationGrowth >= 1) || ipop.MaxRestarts < 0)
            throw new OptimizerInputException($"Invalid IPOP settings: {ipop}.");
        var current = CmaEs.Start(
            CmaEsParameters.Create(dimension, options),
            initialMean,
            initialSigma
        );
        return new IpopState
        {
            Options = options,
            Ipop = ipop,
            InitialMean = ValueArray.From(initialMean),
            Restarts = 0,
            PreviousEvaluations = 0,
            Current = current,
        };
    }

    /// <summary>Candidates of the current run (see <see cref="CmaEs.Ask"/>).</summary>
    public static CmaEsCandidates Ask(IpopState state, Xoshiro256StarStar rng)
    {
        if (state.Stop is { } reason)
            throw new InvalidOperationException($"This IPOP run has stopped ({reason}).");
        return CmaEs.Ask(state.Current, rng);
    }

    /// <summary>Tells the current run; restarts it with a doubled population if it stopped early.</summary>
    public static IpopState Tell(
        IpopState state,
        CmaEsCandidates candidates,
        IReadOnlyList<double> fitness
    )
    {
        if (state.Stop is { } reason)
            throw new OptimizerInputException(
                $"This IPOP run has stopped ({reason}); it takes no more fitness values."
            );
        var current = CmaEs.Tell(state.Current, candidates, fitness);
        var best = state.Best;
        if (current.Best is { } b && (best is null || b.Fitness < best.Fitness))
            best = b with { Evaluation = state.PreviousEvaluations + b.Evaluation };
        var next = state with { Current = current, Best = best };
        if (current.Stop is not { } stop)
            return next;

        var used = next.Evaluations;
        var budget = state.Options.Termination.MaxEvaluations;
        if (
            stop is CmaEsStopReason.TargetFitness or CmaEsStopReason.MaxEvaluations
            || used >= budget
            || state.Restarts >= state.Ipop.MaxRestarts
        )
            return next with { Stop = stop };

        // Restart: same σ₀, λ × growth, and the rest of the budget.
        var lambda = (int)
            Math.Round(current.Parameters.PopulationSize * state.Ipop.PopulationGrowth);
        var options = state.Options with
        {
            PopulationSize = lambda,
            Covariance = current.Parameters.Covariance,
            Termination = state.Options.Termination with { MaxEvaluations = budget - used },
        };
        var mean = state.InitialMean.ToArray();
        if (state.Ipop.RandomRestartMean)
        {
            var bounds = state.Options.Bounds!;
            var restartRng = new Xoshiro256StarStar(
                state.Ipop.RestartSeed ^ (0x9E3779B97F4A7C15UL * (ulong)(state.Restarts + 1))
            );
            for (var i = 0; i < mean.Length; i++)
                mean[i] = restartRng.NextDouble(bounds.Lower[i], bounds.Upper[i]);
        }
        return next with
        {
            Restarts = state.Restarts + 1,
            PreviousEvaluations = used,
            Current = CmaEs.Start(
                CmaEsParameters.Create(mean.Length, options),
                mean,
                current.InitialSigma
            ),
        };
    }

    /// <summary>Runs ask/tell with restarts until IPOP stops, evaluating <paramref name="objective"/> (minimized) serially.</summary>
    public static IpopState Minimize(
        IpopState state,
        Func<ValueArray<double>, double> objective,
        Xoshiro256StarStar rng
    ) => AskTellLoop.Minimize(state, s => s.Stop is not null, s => Ask(s, rng), Tell, objective);
}
