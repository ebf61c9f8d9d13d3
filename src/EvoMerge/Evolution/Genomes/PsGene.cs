using EvoMerge.Merging;

namespace EvoMerge.Evolution.Genomes;

/// <summary>How a gene in [0, 1] becomes a parameter value.</summary>
public enum GeneMapping
{
    /// <summary>Clamped to [MinDensity, 1] (a density or select_topk of 0 would drop everything).</summary>
    Density,

    /// <summary>max(0, g): the paper's unnormalized weights.</summary>
    Weight,

    /// <summary>Low + g (High − Low).</summary>
    Linear,

    /// <summary>Low (High / Low)^g: thresholds whose scale spans decades (RAM's epsilon, NearSwap's t).</summary>
    Log,

    /// <summary>DELLA's epsilon: g · min(density, 1 − density), so density ± epsilon stays inside (0, 1).</summary>
    DensityMargin,
}

/// <summary>One tunable parameter of a merge method as the PS genome sees it: per model (one gene per source) or global, and in either case one gene per layer group.</summary>
/// <param name="Parameter">mergekit's parameter name.</param>
/// <param name="PerModel">True for a per-model parameter (mergekit's tensor parameters).</param>
/// <param name="Mapping">Gene → value.</param>
/// <param name="Low">Lower end (Linear, Log).</param>
/// <param name="High">Upper end (Linear, Log).</param>
public sealed record PsGene(
    string Parameter,
    bool PerModel,
    GeneMapping Mapping,
    double Low = 0,
    double High = 1
)
{
    /// <summary>The gene of each method's tunable parameters, per-model ones first, in genome order within a (source, group).</summary>
    public static IReadOnlyList<PsGene> For(string method)
    {
        var found =
            MergeMethod.Find(method)
            ?? throw new ArgumentException(
                $"unknown merge method '{method}' (known: {string.Join(", ", MergeMethod.All.Select(m => m.Name))})"
            );
        return Refusal(found) is { } reason ? throw new ArgumentException(reason) : Genes(found);
    }

    /// <summary>Why <paramref name="method"/> cannot be evolved, or null.</summary>
    public static string? Refusal(string method) =>
        MergeMethod.Find(method) is { } found
            ? Refusal(found)
            : $"unknown merge method '{method}' (known: {string.Join(", ", MergeMethod.All.Select(m => m.Name))})";

    static string? Refusal(MergeMethod method) =>
        method switch
        {
            KarcherMethod =>
                "method 'karcher' has no parameter to evolve (max_iter and tol set the solver's convergence, not the merge); pick multislerp for weighted spherical means",
            ArceeFusionMethod =>
                "method 'arcee_fusion' has no parameter to evolve (its fusion threshold is computed from the tensors)",
            ModelStockMethod =>
                "method 'model_stock' has no parameter to evolve (its interpolation is computed from the angles)",
            PassthroughMethod =>
                "method 'passthrough' has no parameter to evolve in a PS search (layer stacking is the DFS search's job)",
            _ => null,
        };

    static readonly PsGene Density = new("density", true, GeneMapping.Density);
    static readonly PsGene Weight = new("weight", true, GeneMapping.Weight);

    static IReadOnlyList<PsGene> Genes(MergeMethod method) =>
        method switch
        {
            LinearMethod or NuSlerpMethod or MultiSlerpMethod =>
            [
                // Normalized weights: a floor keeps their sum away from 0.
                new("weight", true, GeneMapping.Linear, 0.01, 1),
            ],
            SlerpMethod => [new("t", false, GeneMapping.Linear)],
            NearSwapMethod => [new("t", false, GeneMapping.Log, 1e-6, 1e-1)],
            TaskArithmeticMethod { Weighting: TermWeighting.MeanSquare } =>
            [
                new("select_topk", false, GeneMapping.Density),
            ],
            TaskArithmeticMethod { Averaging: Averaging.ActiveCount, Boosted: var boosted } =>
                boosted
                    ?
                    [
                        new("epsilon", false, GeneMapping.Log, 1e-6, 1e-2),
                        new("r", false, GeneMapping.Linear),
                        new("alpha", false, GeneMapping.Linear),
                    ]
                    : [new("epsilon", false, GeneMapping.Log, 1e-6, 1e-2)],
            TaskArithmeticMethod { Sparsification: Sparsification.None } => [Weight],
            TaskArithmeticMethod { Sparsification: Sparsification.MagnitudeOutliers } =>
            [
                Density,
                Weight,
                new("gamma", true, GeneMapping.Linear, 0, 0.2),
            ],
            TaskArithmeticMethod { Sparsification: Sparsification.Della } =>
            [
                Density,
                Weight,
                new("epsilon", true, GeneMapping.DensityMargin),
            ],
            TaskArithmeticMethod => [Density, Weight],
            _ => throw new ArgumentException($"method '{method.Name}' has no PS genes"),
        };
}
