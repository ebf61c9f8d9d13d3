using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// Root-mean-square norm as transformers' LlamaRMSNorm: normalize in float32, cast back to the input
/// dtype, then scale by the weight (the order matters for bf16 parity).
/// </summary>
public sealed class RmsNorm : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight; // (D)
    readonly double _eps;

    public RmsNorm(long size, double eps, Device device, ScalarType dtype)
        : base(nameof(RmsNorm))
    {
        weight = new Parameter(empty([size], dtype, device), requires_grad: false);
        _eps = eps;
        RegisterComponents();
    }

    // (..., D) -> (..., D)
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var inputType = x.dtype;
        var h = x.to_type(ScalarType.Float32);
        var variance = h.pow(2).mean([-1L], keepdim: true); // (..., 1)
        h = h * (variance + _eps).rsqrt_();
        return (weight * h.to_type(inputType)).MoveToOuterDisposeScope();
    }
}
