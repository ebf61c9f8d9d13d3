namespace EvoMerge.Evolution.Optimizers;

/// <summary>How CMA-ES represents its covariance matrix.</summary>
public enum CovarianceModel
{
    /// <summary>Separable above <see cref="CmaEsOptions.SeparableAbove"/> dimensions, full otherwise.</summary>
    Auto,

    /// <summary>Full covariance (Hansen 2016): learns rotated, non-separable structure; O(n²) memory, O(n³) eigendecompositions.</summary>
    Full,

    /// <summary>Diagonal covariance (sep-CMA, Ros &amp; Hansen 2008): O(n) per sample, larger learning rates.</summary>
    Separable,
}

/// <summary>User choices for a CMA-ES run; <see cref="CmaEsParameters.Create"/> turns them into the strategy constants.</summary>
public sealed record CmaEsOptions
{
    /// <summary>λ, the number of candidates per generation; null means the default 4 + ⌊3 ln n⌋ (tutorial eq. 48).</summary>
    public int? PopulationSize { get; init; }

    /// <summary>Full or diagonal covariance.</summary>
    public CovarianceModel Covariance { get; init; } = CovarianceModel.Auto;

    /// <summary>
    /// With <see cref="CovarianceModel.Auto"/>, dimensions above this use sep-CMA: full CMA's c₁ ≈ 2/n²
    /// needs O(n²) generations to learn C, and each eigendecomposition costs O(n³) (a DFS genome has thousands of genes).
    /// </summary>
    public int SeparableAbove { get; init; } = 100;

    /// <summary>
    /// Active CMA (tutorial eqs. 46–53, pycma's default): the worst candidates get negative weights
    /// that shrink C along unpromising directions; it learns ill-conditioned shapes faster. Off by default.
    /// </summary>
    public bool Active { get; init; }

    /// <summary>Optional box bounds; candidates are then always inside the box (see <see cref="BoundTransform"/>).</summary>
    public BoxBounds? Bounds { get; init; }

    /// <summary>When to stop.</summary>
    public CmaEsTermination Termination { get; init; } = new();
}

/// <summary>Stopping criteria (tutorial appendix B.3 and pycma's defaults).</summary>
public sealed record CmaEsTermination
{
    /// <summary>Stop once the best fitness is at or below this value.</summary>
    public double? TargetFitness { get; init; }

    /// <summary>Stop once this many candidates have been evaluated (checked after each generation).</summary>
    public long MaxEvaluations { get; init; } = long.MaxValue;

    /// <summary>TolFun: stop when the best fitness of the last 10 + ⌈30n/λ⌉ generations and all of this generation's fitness values each span less than this.</summary>
    public double TolFun { get; init; } = 1e-11;

    /// <summary>TolX = this × σ₀: stop when σ·√Cᵢᵢ and σ·|p_c,i| are below TolX in every coordinate.</summary>
    public double TolXRelative { get; init; } = 1e-12;

    /// <summary>Stop when the condition number of C exceeds this.</summary>
    public double MaxCondition { get; init; } = 1e14;

    /// <summary>Stop when adding 0.1σ along a principal axis of C no longer changes the mean.</summary>
    public bool NoEffectAxis { get; init; } = true;

    /// <summary>Stop when adding 0.2σ√Cᵢᵢ to a coordinate of the mean no longer changes it.</summary>
    public bool NoEffectCoordinate { get; init; } = true;
}

/// <summary>Why a CMA-ES run stopped.</summary>
public enum CmaEsStopReason
{
    /// <summary>The best fitness reached <see cref="CmaEsTermination.TargetFitness"/>.</summary>
    TargetFitness,

    /// <summary>The evaluation budget is spent.</summary>
    MaxEvaluations,

    /// <summary>Fitness values stopped changing (TolFun).</summary>
    TolFun,

    /// <summary>The search distribution became tiny (TolX).</summary>
    TolX,

    /// <summary>The condition number of C exceeded its limit.</summary>
    ConditionCov,

    /// <summary>A principal-axis step no longer changes the mean.</summary>
    NoEffectAxis,

    /// <summary>A coordinate step no longer changes the mean.</summary>
    NoEffectCoordinate,

    /// <summary>The mean, σ or C stopped being finite.</summary>
    NumericalError,
}
