using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// Methods that move each element of the base toward one other model by a per-element rule:
/// NearSwap (toward the other model by at most t) and Arcee Fusion (all the way where the change
/// is an importance outlier). Inputs: base, other.
/// </summary>
public static class SwapKernels
{
    /// <summary>
    /// NearSwap: w = clamp(t / clamp(|a − b|, 1e-6), 0, 1), out = w·b + (1 − w)·a, chunked in the
    /// scratch buffers (t / x as x⁻¹·t, two roundings, as torch evaluates it).
    /// </summary>
    public static void NearSwap(
        NearSwapOperation op,
        Tensor a,
        Tensor b,
        Tensor output,
        MergeScratch scratch
    )
    {
        using var scope = NewDisposeScope();
        var af = a.view(-1);
        var bf = b.view(-1);
        var of = output.view(-1);
        long n = af.numel();
        for (long start = 0; start < n; start += scratch.ChunkElements)
        {
            using var chunkScope = NewDisposeScope();
            long len = Math.Min(scratch.ChunkElements, n - start);
            var x = scratch.Chunk(0, len).copy_(af.narrow(0, start, len));
            var y = scratch.Chunk(1, len).copy_(bf.narrow(0, start, len));
            var w = scratch.Chunk(2, len).copy_(x).sub_(y).abs_().clamp_min_(1e-6);
            w.reciprocal_().mul_(op.T).clamp_(0.0, 1.0);
            y.mul_(w);
            w.neg_().add_(1).mul_(x); // (1 − w)·a
            of.narrow(0, start, len).copy_(y.add_(w));
        }
    }

    /// <summary>
    /// Arcee Fusion: importance = |o − b| · KL(softmax(o) ‖ softmax(b)) (per last-dimension row, +1e-8
    /// on both distributions), threshold = median + 1.5·IQR of the importance (order statistics at
    /// ⌊q·(N − 1)⌋ in float32, as mergekit indexes its sorted sample), out = b + (o − b)·[importance ≥ threshold].
    /// mergekit estimates the quartiles from 10⁶ random samples on larger tensors; here they are exact.
    /// </summary>
    public static void ArceeFusion(Tensor baseT, Tensor other, Tensor output)
    {
        using var scope = NewDisposeScope();
        var b = baseT.to_type(ScalarType.Float32);
        var o = other.to_type(ScalarType.Float32);
        var delta = o - b;
        var p = o.softmax(-1) + 1e-8;
        var q = b.softmax(-1) + 1e-8;
        var kl = (p * (p / q).log()).sum(-1);
        var importance = delta.abs() * kl.unsqueeze(-1);
        var sorted = importance.reshape(-1).sort().Values;
        long last = sorted.numel() - 1;
        float At(float fraction) =>
            sorted[(long)(fraction * (float)last)].to_type(ScalarType.Float32).item<float>();
        float q1 = At(0.25f),
            median = At(0.5f),
            q3 = At(0.75f);
        float threshold = median + 1.5f * (q3 - q1);
        var mask = importance.ge(threshold).to_type(ScalarType.Float32);
        output.copy_(b + delta * mask);
    }
}
