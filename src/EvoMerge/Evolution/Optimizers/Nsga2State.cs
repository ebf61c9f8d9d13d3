using System.Text.Json.Serialization;
using EvoMerge.Common;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>An evaluated genome.</summary>
/// <param name="Genome">The genome (inside the bounds).</param>
/// <param name="Objectives">Its objective values (all minimized).</param>
public sealed record Nsga2Individual(ValueArray<double> Genome, ValueArray<double> Objectives);

/// <summary>
/// One generation of NSGA-II: the parent population after environmental selection. Immutable;
/// round-trips through <see cref="OptimizerJson"/>. Ranks and crowding distances are recomputed
/// from the objectives when needed, so the saved state holds only finite numbers.
/// </summary>
public sealed record Nsga2State
{
    /// <summary>The settings.</summary>
    public required Nsga2Parameters Parameters { get; init; }

    /// <summary>Generations told so far (0: the random initial population is asked next).</summary>
    public required int Generation { get; init; }

    /// <summary>Genomes evaluated so far.</summary>
    public required long Evaluations { get; init; }

    /// <summary>The parents, ordered by (rank, descending crowding distance); empty before the first Tell.</summary>
    public required ValueArray<Nsga2Individual> Population { get; init; }

    /// <summary>A hash of the generation, evaluations and parents' objectives, stamped on the candidates Ask makes (FNV-1a).</summary>
    [JsonIgnore]
    public ulong Fingerprint
    {
        get
        {
            var hash = new StateFingerprint();
            hash.Add((ulong)Generation);
            hash.Add((ulong)Evaluations);
            foreach (var individual in Population)
            foreach (var f in individual.Objectives)
                hash.Add(f);
            return hash.Value;
        }
    }

    /// <summary>The parents on the first non-dominated front (the current Pareto set approximation).</summary>
    [JsonIgnore]
    public IReadOnlyList<Nsga2Individual> ParetoFront =>
        Population.Count == 0
            ? []
            : NonDominatedSorting
                .Fronts(Population.Select(p => p.Objectives).ToList())[0]
                .Select(i => Population[i])
                .ToList();
}

/// <summary>Offspring made by <see cref="Nsga2.Ask"/>: evaluate <see cref="Genomes"/> and tell their objectives in the same order.</summary>
/// <param name="Generation">The generation of the state that made them.</param>
/// <param name="Genomes">The genomes to evaluate (inside the bounds).</param>
/// <param name="StateFingerprint">That state's <see cref="Nsga2State.Fingerprint"/>.</param>
public sealed record Nsga2Candidates(
    int Generation,
    ulong StateFingerprint,
    ValueArray<ValueArray<double>> Genomes
);
