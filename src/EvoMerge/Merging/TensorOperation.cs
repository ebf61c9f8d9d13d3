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
/// <see cref="Terms"/> entry.
/// </summary>
public sealed record TaskArithmeticOperation(
    Sparsification Sparsification,
    Consensus Consensus,
    bool Normalize,
    bool Rescale,
    RescaleMode RescaleMode,
    double Lambda,
    ValueArray<TaskVectorTerms> Terms
) : TensorOperation;

/// <summary>Slerp at <paramref name="T"/>. Inputs: base (t = 0), other (t = 1).</summary>
public sealed record SlerpOperation(double T) : TensorOperation;

/// <summary>NuSLERP at <paramref name="T"/>. Inputs: two models, then the base when <paramref name="HasBase"/>.</summary>
public sealed record NuSlerpOperation(double T, bool RowWise, bool Flatten, bool HasBase)
    : TensorOperation;

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
