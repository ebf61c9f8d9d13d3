using EvoMerge.Common;

namespace EvoMerge.Merging;

/// <summary>
/// What to compute for one output tensor, with every parameter already resolved (gradients
/// interpolated, filters matched, defaults applied). Inputs are listed on the
/// <see cref="PlannedTensor"/> in the order each case documents.
/// </summary>
public abstract record TensorOperation;

/// <summary>Σ wᵢ xᵢ (÷ Σ wᵢ when normalized). Inputs: the models.</summary>
public sealed record LinearOperation(ValueArray<double> Weights, bool Normalize) : TensorOperation;

/// <summary>One task vector's terms: its weight and sparsification settings.</summary>
public sealed record TaskVectorTerms(double Weight, double Density, double Gamma, double Epsilon);

/// <summary>
/// The generalized task-arithmetic operator. Inputs: the base first, then one input per
/// <see cref="Terms"/> entry. The trailing fields are the small extensions SCE and RAM need
/// (their defaults leave TIES, DARE, breadcrumbs and DELLA unchanged).
/// </summary>
/// <param name="Sparsification">How each task vector is thinned.</param>
/// <param name="Consensus">The sign election, if any.</param>
/// <param name="Normalize">Divide by the (agreeing) weight sum.</param>
/// <param name="Rescale">Scale thinned task vectors back up.</param>
/// <param name="RescaleMode">How they are scaled back up.</param>
/// <param name="Lambda">Multiplier of the merged task vector.</param>
/// <param name="Terms">Per task vector: weight and sparsification settings.</param>
/// <param name="SelectTopK">Fraction of the positions with nonzero variance that <see cref="Sparsification.Variance"/> keeps.</param>
/// <param name="Weighting">Where each term's weight comes from.</param>
/// <param name="DivisorFloor">The smallest agreeing-weight divisor (SCE: 1e-6); null keeps mergekit's "a zero divisor becomes 1".</param>
/// <param name="Averaging">What the normalized sum is divided by.</param>
/// <param name="Boost">RAM+ (tensor-local): the unique-position boost, or null.</param>
public sealed record TaskArithmeticOperation(
    Sparsification Sparsification,
    Consensus Consensus,
    bool Normalize,
    bool Rescale,
    RescaleMode RescaleMode,
    double Lambda,
    ValueArray<TaskVectorTerms> Terms,
    double SelectTopK = 1,
    TermWeighting Weighting = TermWeighting.Given,
    double? DivisorFloor = null,
    Averaging Averaging = Averaging.WeightSum,
    UniqueBoost? Boost = null
) : TensorOperation
{
    /// <summary>True when only the original TIES/DARE/breadcrumbs/DELLA fields are in use (the fused CPU path's domain).</summary>
    public bool IsClassic =>
        Sparsification is not (Sparsification.Variance or Sparsification.Threshold)
        && Consensus != Consensus.UnweightedSum
        && Weighting == TermWeighting.Given
        && DivisorFloor is null
        && Averaging == Averaging.WeightSum
        && Boost is null;
}

/// <summary>Where a task-arithmetic term's weight comes from.</summary>
public enum TermWeighting
{
    /// <summary>The recipe's <c>weight</c>.</summary>
    Given,

    /// <summary>SCE's matrix-level weight: mean(τ²) of the selected task vector, normalized over the terms (uniform when they sum to under 1e-6).</summary>
    MeanSquare,
}

/// <summary>What a normalized task-arithmetic sum without sign election is divided by.</summary>
public enum Averaging
{
    /// <summary>Σ wᵢ (with sign election: the agreeing weight).</summary>
    WeightSum,

    /// <summary>RAM: the number of task vectors active at the position (at least 1).</summary>
    ActiveCount,
}

/// <summary>
/// RAM+ tensor-local: model i's contributions at positions only it touches are scaled by
/// λᵢ = 1 + r·clamp(ρᵢ, 0, alpha), ρᵢ = (its active positions shared with others) / max(its unique ones, epsilon).
/// </summary>
public sealed record UniqueBoost(double R, double Alpha, double Epsilon);

/// <summary>Slerp at <paramref name="T"/>. Inputs: base (t = 0), other (t = 1).</summary>
public sealed record SlerpOperation(double T) : TensorOperation;

/// <summary>NuSLERP at <paramref name="T"/>. Inputs: two models, then the base when <paramref name="HasBase"/>.</summary>
public sealed record NuSlerpOperation(double T, bool RowWise, bool Flatten, bool HasBase)
    : TensorOperation;

/// <summary>
/// mergekit's multislerp: barycentric interpolation on the hypersphere (of task vectors when
/// <paramref name="HasBase"/>). Inputs: the models, then the base when given.
/// </summary>
public sealed record MultiSlerpOperation(
    ValueArray<double> Weights,
    bool NormalizeWeights,
    double Eps,
    bool HasBase
) : TensorOperation;

/// <summary>Karcher (Riemannian) mean of the models on the unit sphere, equal weights, scaled by the mean norm. Inputs: the models.</summary>
public sealed record KarcherOperation(int MaxIter, double Tol) : TensorOperation;

/// <summary>NearSwap: take the other model where it is within <paramref name="T"/> of the base. Inputs: base, other.</summary>
public sealed record NearSwapOperation(double T) : TensorOperation;

/// <summary>Arcee Fusion: take the other model where |Δ|·KL importance is an upper outlier. Inputs: base, other.</summary>
public sealed record ArceeFusionOperation : TensorOperation;

/// <summary>Model Stock. Inputs: base, then the models.</summary>
public sealed record ModelStockOperation(bool FilterWise) : TensorOperation;

/// <summary>Copy the single input, times <paramref name="Scale"/> when given.</summary>
public sealed record PassthroughOperation(double? Scale) : TensorOperation;

/// <summary>One source tensor an output tensor reads.</summary>
public sealed record TensorInput(string Model, string Tensor);

/// <summary>One output tensor of a merge: its name, shape, output dtype, inputs and operation.</summary>
public sealed record PlannedTensor(
    string Name,
    ValueArray<long> Shape,
    TorchSharp.torch.ScalarType OutputDtype,
    ValueArray<TensorInput> Inputs,
    TensorOperation Operation
)
{
    /// <summary>Number of elements.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

/// <summary>A whole merge: every output tensor in output order, and the output's layer count.</summary>
public sealed record MergePlan(
    MergeMethod Method,
    ValueArray<PlannedTensor> Tensors,
    int OutputLayers,
    string ReferenceModel
);
