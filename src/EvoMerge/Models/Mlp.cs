using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) * up(x)).</summary>
public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    readonly Projection gate_proj;
    readonly Projection up_proj;
    readonly Projection down_proj;

    public Mlp(long hidden, long intermediate, bool bias, Device device, ScalarType dtype)
        : base(nameof(Mlp))
    {
        gate_proj = new Projection(hidden, intermediate, bias, device, dtype);
        up_proj = new Projection(hidden, intermediate, bias, device, dtype);
        down_proj = new Projection(intermediate, hidden, bias, device, dtype);
        RegisterComponents();
    }

    // (B, T, D) -> (B, T, D)
    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var gate = nn.functional.silu(gate_proj.forward(x), inplace: true); // (B, T, I)
        var up = up_proj.forward(x).mul_(gate); // (B, T, I)
        return down_proj.forward(up).MoveToOuterDisposeScope();
    }
}
