namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// Settings of NSGA-II (Deb, Pratap, Agarwal, Meyarivan, IEEE TEVC 6(2), 2002) with simulated
/// binary crossover and polynomial mutation (Deb &amp; Agrawal 1995), as in Deb's reference code.
/// Build with <see cref="Create"/>.
/// </summary>
public sealed record Nsga2Parameters
{
    /// <summary>Genome length n.</summary>
    public required int Dimension { get; init; }

    /// <summary>Number of objectives (all minimized).</summary>
    public required int Objectives { get; init; }

    /// <summary>N, the population size and the number of offspring per generation (even).</summary>
    public required int PopulationSize { get; init; }

    /// <summary>Box bounds; every genome stays inside.</summary>
    public required BoxBounds Bounds { get; init; }

    /// <summary>Probability that a pair of parents is recombined by SBX.</summary>
    public required double CrossoverProbability { get; init; }

    /// <summary>η_c, the SBX distribution index (larger: children closer to the parents).</summary>
    public required double CrossoverEta { get; init; }

    /// <summary>Per-gene mutation probability (default 1/n).</summary>
    public required double MutationProbability { get; init; }

    /// <summary>η_m, the polynomial-mutation distribution index.</summary>
    public required double MutationEta { get; init; }

    /// <summary>Validated parameters with Deb's defaults: p_c = 0.9, η_c = 15, p_m = 1/n, η_m = 20.</summary>
    public static Nsga2Parameters Create(
        BoxBounds bounds,
        int objectives,
        int populationSize = 100,
        double crossoverProbability = 0.9,
        double crossoverEta = 15,
        double? mutationProbability = null,
        double mutationEta = 20
    )
    {
        ArgumentNullException.ThrowIfNull(bounds);
        if (objectives < 1)
            throw new OptimizerInputException(
                $"NSGA-II needs at least one objective, got {objectives}."
            );
        if (populationSize < 4 || populationSize % 2 != 0)
            throw new OptimizerInputException(
                $"The population size must be even and at least 4, got {populationSize}."
            );
        var pm = mutationProbability ?? 1.0 / bounds.Dimension;
        if (!(crossoverProbability is >= 0 and <= 1) || !(pm is >= 0 and <= 1))
            throw new OptimizerInputException(
                $"Probabilities must lie in [0, 1], got crossover {crossoverProbability}, mutation {pm}."
            );
        if (
            !(crossoverEta >= 0)
            || !(mutationEta >= 0)
            || !double.IsFinite(crossoverEta)
            || !double.IsFinite(mutationEta)
        )
            throw new OptimizerInputException(
                $"Distribution indices must be finite and ≥ 0, got η_c {crossoverEta}, η_m {mutationEta}."
            );
        return new Nsga2Parameters
        {
            Dimension = bounds.Dimension,
            Objectives = objectives,
            PopulationSize = populationSize,
            Bounds = bounds,
            CrossoverProbability = crossoverProbability,
            CrossoverEta = crossoverEta,
            MutationProbability = pm,
            MutationEta = mutationEta,
        };
    }
}
