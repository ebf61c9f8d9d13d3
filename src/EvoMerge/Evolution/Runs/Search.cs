using EvoMerge.Common.Random;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Optimizers;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// The optimizer behind a run, behind one ask/tell shape: CMA-ES (single objective: the mean task
/// score) or NSGA-II (one objective per task). Immutable: <see cref="Tell"/> returns the next search.
/// Scores are maximized; the optimizers minimize, so the sign flips here, once.
/// </summary>
public abstract record Search
{
    public abstract int Generation { get; }
    public abstract long Evaluations { get; }

    /// <summary>Why the optimizer stopped on its own (null while running).</summary>
    public abstract string? Stopped { get; }

    /// <summary>σ (CMA-ES step size) or null.</summary>
    public abstract double? Sigma { get; }

    /// <summary>The next generation's genomes (advances <paramref name="rng"/>) and the search that awaits their results.</summary>
    public abstract (Search Next, IReadOnlyList<double[]> Genomes) Ask(Xoshiro256StarStar rng);

    /// <summary>Feeds back the results of the genomes of the last <see cref="Ask"/>, in order.</summary>
    public abstract Search Tell(IReadOnlyList<GenomeEvaluation> results);

    public static Search StartCma(IGenomeSpace space, ExperimentConfig config)
    {
        var options = new CmaEsOptions
        {
            PopulationSize = config.Population,
            Bounds = space.Bounds,
        };
        var parameters = CmaEsParameters.Create(space.Dimension, options);
        return new CmaSearch(CmaEs.Start(parameters, space.InitialGenome, config.Sigma), null);
    }

    public static Search StartNsga2(IGenomeSpace space, ExperimentConfig config)
    {
        var bounds =
            space.Bounds
            ?? throw new InvalidOperationException("NSGA-II needs a bounded genome (PS)");
        var parameters = Nsga2Parameters.Create(
            bounds,
            config.Fitness.Count,
            config.Population ?? 16
        );
        return new Nsga2Search(Nsga2.Start(parameters), null);
    }
}

/// <summary>CMA-ES over the mean task score.</summary>
public sealed record CmaSearch(CmaEsState State, CmaEsCandidates? Pending) : Search
{
    public override int Generation => State.Generation;
    public override long Evaluations => State.Evaluations;
    public override string? Stopped => State.Stop?.ToString();
    public override double? Sigma => State.Sigma;

    /// <summary>The distribution mean mapped into the genome space (for trajectory plots).</summary>
    public IReadOnlyList<double> Mean => State.MeanGenome;

    public override (Search Next, IReadOnlyList<double[]> Genomes) Ask(Xoshiro256StarStar rng)
    {
        var candidates = CmaEs.Ask(State, rng);
        return (
            this with
            {
                Pending = candidates,
            },
            candidates.Genomes.Select(g => g.ToArray()).ToArray()
        );
    }

    public override Search Tell(IReadOnlyList<GenomeEvaluation> results) =>
        new CmaSearch(
            CmaEs.Tell(
                State,
                Pending ?? throw new InvalidOperationException("Tell before Ask"),
                results.Select(r => -r.Fitness).ToArray()
            ),
            null
        );
}

/// <summary>NSGA-II with one objective per fitness task.</summary>
public sealed record Nsga2Search(Nsga2State State, Nsga2Candidates? Pending) : Search
{
    public override int Generation => State.Generation;
    public override long Evaluations => State.Evaluations;
    public override string? Stopped => null;
    public override double? Sigma => null;

    public override (Search Next, IReadOnlyList<double[]> Genomes) Ask(Xoshiro256StarStar rng)
    {
        var candidates = Nsga2.Ask(State, rng);
        return (
            this with
            {
                Pending = candidates,
            },
            candidates.Genomes.Select(g => g.ToArray()).ToArray()
        );
    }

    public override Search Tell(IReadOnlyList<GenomeEvaluation> results) =>
        new Nsga2Search(
            Nsga2.Tell(
                State,
                Pending ?? throw new InvalidOperationException("Tell before Ask"),
                results
                    .Select(r => (IReadOnlyList<double>)r.Scores.Select(s => -s).ToArray())
                    .ToArray()
            ),
            null
        );
}
