using EvoMerge.Common;
using EvoMerge.Common.Random;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// NSGA-II (Deb et al. 2002) as pure ask/tell functions, shaped like <see cref="CmaEs"/>: immutable
/// parameters and state, an explicit RNG, every objective MINIMIZED (negate accuracies once, at the
/// boundary). Ask makes N offspring by binary tournament on (rank, crowding distance), SBX and
/// polynomial mutation; Tell merges them with the parents and keeps the best N by non-dominated
/// rank, then crowding distance (the elitist (μ+λ) selection of §III-C).
/// </summary>
public static class Nsga2
{
    /// <summary>The state before the first generation (Ask then draws N uniform genomes).</summary>
    public static Nsga2State Start(Nsga2Parameters parameters) =>
        new()
        {
            Parameters = parameters,
            Generation = 0,
            Evaluations = 0,
            Population = ValueArray<Nsga2Individual>.Empty,
        };

    /// <summary>N genomes to evaluate: uniform in the box at first, then offspring of the parents.</summary>
    public static Nsga2Candidates Ask(Nsga2State state, Xoshiro256StarStar rng)
    {
        var p = state.Parameters;
        int n = p.Dimension,
            size = p.PopulationSize;
        var genomes = new ValueArray<double>[size];
        if (state.Population.Count == 0)
        {
            for (var k = 0; k < size; k++)
            {
                var g = new double[n];
                for (var i = 0; i < n; i++)
                    g[i] = rng.NextDouble(p.Bounds.Lower[i], p.Bounds.Upper[i]);
                genomes[k] = ValueArray<double>.Own(g);
            }
            return new Nsga2Candidates(
                state.Generation,
                state.Fingerprint,
                ValueArray<ValueArray<double>>.Own(genomes)
            );
        }

        var parents = state.Population;
        var (rank, crowding) = RankAndCrowding(
            parents.Select(x => (IReadOnlyList<double>)x.Objectives).ToList()
        );
        int Tournament()
        {
            // Binary tournament with the crowded-comparison operator ≺ₙ (§III-B): lower rank wins,
            // then larger crowding distance; a full tie keeps the first pick.
            int a = rng.Next(parents.Count),
                b = rng.Next(parents.Count);
            return rank[b] < rank[a] || (rank[b] == rank[a] && crowding[b] > crowding[a]) ? b : a;
        }
        for (var k = 0; k < size; k += 2)
        {
            var child1 = parents[Tournament()].Genome.ToArray();
            var child2 = parents[Tournament()].Genome.ToArray();
            if (rng.NextDouble() <= p.CrossoverProbability)
                RealVariation.SimulatedBinaryCrossover(
                    child1,
                    child2,
                    p.Bounds,
                    p.CrossoverEta,
                    rng
                );
            RealVariation.PolynomialMutation(
                child1,
                p.Bounds,
                p.MutationProbability,
                p.MutationEta,
                rng
            );
            RealVariation.PolynomialMutation(
                child2,
                p.Bounds,
                p.MutationProbability,
                p.MutationEta,
                rng
            );
            genomes[k] = ValueArray<double>.Own(child1);
            genomes[k + 1] = ValueArray<double>.Own(child2);
        }
        return new Nsga2Candidates(
            state.Generation,
            state.Fingerprint,
            ValueArray<ValueArray<double>>.Own(genomes)
        );
    }

    /// <summary>
    /// Selects the next parents from the current ones and the evaluated offspring; returns a new
    /// state and leaves <paramref name="state"/> unchanged. <paramref name="objectives"/>[k] holds the
    /// (minimized) objective values of candidate k. Throws <see cref="OptimizerInputException"/> for
    /// wrong counts or lengths, NaN/infinite values, genomes outside the bounds, or candidates from another state.
    /// </summary>
    public static Nsga2State Tell(
        Nsga2State state,
        Nsga2Candidates candidates,
        IReadOnlyList<IReadOnlyList<double>> objectives
    )
    {
        Validate(state, candidates, objectives);
        var p = state.Parameters;
        var pool = state
            .Population.Concat(
                candidates.Genomes.Select(
                    (g, k) => new Nsga2Individual(g, ValueArray.From(objectives[k]))
                )
            )
            .ToList();
        var poolObjectives = pool.Select(x => (IReadOnlyList<double>)x.Objectives).ToList();

        var selected = new List<int>(p.PopulationSize);
        foreach (var front in NonDominatedSorting.Fronts(poolObjectives))
        {
            // Whole fronts while they fit; the front that overflows is cut by crowding distance.
            // Keep every selected front sorted by crowding too, so Population is in (rank, crowding) order.
            var distance = NonDominatedSorting.CrowdingDistances(poolObjectives, front);
            var byCrowding = Enumerable
                .Range(0, front.Count)
                .OrderByDescending(i => distance[i])
                .ThenBy(i => front[i])
                .Select(i => front[i]);
            selected.AddRange(byCrowding.Take(p.PopulationSize - selected.Count));
            if (selected.Count == p.PopulationSize)
                break;
        }
        return state with
        {
            Generation = state.Generation + 1,
            Evaluations = state.Evaluations + candidates.Genomes.Count,
            Population = ValueArray<Nsga2Individual>.Own(selected.Select(i => pool[i]).ToArray()),
        };
    }

    /// <summary>Runs <paramref name="generations"/> generations, evaluating <paramref name="objectives"/> serially.</summary>
    public static Nsga2State Minimize(
        Nsga2State state,
        Func<ValueArray<double>, IReadOnlyList<double>> objectives,
        int generations,
        Xoshiro256StarStar rng
    )
    {
        for (var g = 0; g < generations; g++)
        {
            var candidates = Ask(state, rng);
            state = Tell(state, candidates, candidates.Genomes.Select(objectives).ToArray());
        }
        return state;
    }

    /// <summary>Non-dominated rank (0 = first front) and crowding distance within its front, per individual.</summary>
    public static (int[] Rank, double[] Crowding) RankAndCrowding(
        IReadOnlyList<IReadOnlyList<double>> objectives
    )
    {
        var rank = new int[objectives.Count];
        var crowding = new double[objectives.Count];
        var fronts = NonDominatedSorting.Fronts(objectives);
        for (var f = 0; f < fronts.Count; f++)
        {
            var distance = NonDominatedSorting.CrowdingDistances(objectives, fronts[f]);
            for (var i = 0; i < fronts[f].Count; i++)
            {
                rank[fronts[f][i]] = f;
                crowding[fronts[f][i]] = distance[i];
            }
        }
        return (rank, crowding);
    }

    static void Validate(
        Nsga2State state,
        Nsga2Candidates candidates,
        IReadOnlyList<IReadOnlyList<double>> objectives
    )
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(objectives);
        var p = state.Parameters;
        if (
            candidates.Generation != state.Generation
            || candidates.StateFingerprint != state.Fingerprint
        )
            throw new OptimizerInputException(
                $"The candidates were asked from another state (generation {candidates.Generation}), not from this state (generation {state.Generation})."
            );
        if (candidates.Genomes.Count != p.PopulationSize || objectives.Count != p.PopulationSize)
            throw new OptimizerInputException(
                $"Expected {p.PopulationSize} candidates and objective vectors, got {candidates.Genomes.Count} and {objectives.Count}."
            );
        for (var k = 0; k < p.PopulationSize; k++)
        {
            var g = candidates.Genomes[k];
            if (g is null || g.Count != p.Dimension)
                throw new OptimizerInputException(
                    $"Candidate {k} does not have {p.Dimension} genes."
                );
            if (!p.Bounds.Contains(g.AsSpan()))
                throw new OptimizerInputException(
                    $"Candidate {k} has a NaN gene or lies outside the bounds."
                );
            var f = objectives[k];
            if (f is null || f.Count != p.Objectives)
                throw new OptimizerInputException(
                    $"Candidate {k} needs {p.Objectives} objective values, got {f?.Count ?? 0}."
                );
            for (var j = 0; j < f.Count; j++)
                if (!double.IsFinite(f[j]))
                    throw new OptimizerInputException(
                        $"Objective {j} of candidate {k} is {f[j]}; NSGA-II needs finite values."
                    );
        }
    }
}
