using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// y = x Wᵀ + b, like nn.Linear but allocated uninitialized (weights come from a checkpoint), on any
/// device including <c>meta</c>, and without gradients (inference only).
/// </summary>
public sealed class Projection : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight; // (out, in)
    readonly Parameter? bias; // (out)

    public Projection(
        long inFeatures,
        long outFeatures,
        bool hasBias,
        Device device,
        ScalarType dtype
    )
        : base(nameof(Projection))
    {
        weight = new Parameter(
            empty([outFeatures, inFeatures], dtype, device),
            requires_grad: false
        );
        if (hasBias)
            bias = new Parameter(empty([outFeatures], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    /// <summary>The weight, (out, in).</summary>
    public Tensor Weight => weight;

    // (..., in) -> (..., out)
    public override Tensor forward(Tensor x) => nn.functional.linear(x, weight, bias);
}
