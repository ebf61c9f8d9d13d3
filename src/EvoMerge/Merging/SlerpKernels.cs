using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>Spherical interpolation: mergekit's slerp (whole tensors as one vector) and nuslerp.</summary>
public static partial class SlerpKernels
{
    /// <summary>mergekit's threshold above which |cos| counts as colinear and slerp falls back to lerp.</summary>
    public const double DotThreshold = 0.9995;

    /// <summary>
    /// output = slerp(t, a, b) treating each tensor as one flat vector (mergekit's slerp): the angle
    /// comes from the normalized dot product (norms accumulated in float64 over chunks); when
    /// |cos| &gt; 0.9995 it falls back to (1 − t)·a + t·b.
    /// </summary>
    public static void Slerp(double t, Tensor a, Tensor b, Tensor output, MergeScratch scratch)
    {
        using var scope = NewDisposeScope();
        var af = a.view(-1);
        var bf = b.view(-1);
        var of = output.view(-1);
        long n = af.numel();
        double ab = 0,
            aa = 0,
            bb = 0;
        for (long start = 0; start < n; start += scratch.ChunkElements)
        {
            using var chunkScope = NewDisposeScope();
            long len = Math.Min(scratch.ChunkElements, n - start);
            var x = scratch.Chunk(0, len).copy_(af.narrow(0, start, len));
            var y = scratch.Chunk(1, len).copy_(bf.narrow(0, start, len));
            ab += x.dot(y).to_type(ScalarType.Float64).item<double>();
            aa += x.dot(x).to_type(ScalarType.Float64).item<double>();
            bb += y.dot(y).to_type(ScalarType.Float64).item<double>();
        }
        const double eps = 1e-8;
        double na = Math.Sqrt(aa),
            nb = Math.Sqrt(bb);
        double dot = ab / (na > eps ? na : 1) / (nb > eps ? nb : 1);
        double s0,
            s1;
        if (Math.Abs(dot) > DotThreshold)
        {
            s0 = 1 - t;
            s1 = t;
        }
        else
        {
            double theta0 = Math.Acos(dot);
            double sin0 = Math.Sin(theta0);
            s0 = Math.Sin(theta0 - theta0 * t) / sin0;
            s1 = Math.Sin(theta0 * t) / sin0;
        }
        Combine(s0, af, s1, bf, of, scratch);
    }

    /// <summary>output = s0·a + s1·b, chunked.</summary>
    internal static void Combine(
        double s0,
        Tensor af,
        double s1,
        Tensor bf,
        Tensor of,
        MergeScratch scratch
    )
    {
        long n = af.numel();
        for (long start = 0; start < n; start += scratch.ChunkElements)
        {
            using var chunkScope = NewDisposeScope();
            long len = Math.Min(scratch.ChunkElements, n - start);
            var s = scratch.Chunk(0, len).copy_(af.narrow(0, start, len)).mul_(s0);
            s.add_(bf.narrow(0, start, len), alpha: s1);
            of.narrow(0, start, len).copy_(s);
        }
    }

    /// <summary>
    /// mergekit's nuslerp: slerp of (x₀, x₁) — or of their task vectors when a base is given, added
    /// back to it — over the flattened tensor (default), its rows (<c>nuslerp_row_wise</c>) or its
    /// last dimension; colinear rows (|sin θ| &lt; 1e-8) fall back to lerp. Computed in float32 with
    /// temporaries (not a hot path).
    /// </summary>
    public static void NuSlerp(NuSlerpOperation op, IReadOnlyList<Tensor> inputs, Tensor output)
    {
        using var scope = NewDisposeScope();
        var v0 = inputs[0].to_type(ScalarType.Float32);
        var v1 = inputs[1].to_type(ScalarType.Float32);
        Tensor? baseT = op.HasBase ? inputs[2].to_type(ScalarType.Float32) : null;
        if (baseT is not null)
        {
            v0 = v0 - baseT;
            v1 = v1 - baseT;
        }
        var shape = v0.shape;
        bool transposed = false;
        if (op.Flatten)
        {
            v0 = v0.reshape(-1);
            v1 = v1.reshape(-1);
        }
        else if (op.RowWise && v0.dim() > 1)
        {
            v0 = v0.transpose(0, -1);
            v1 = v1.transpose(0, -1);
            transposed = true;
        }
        var u0 = v0 / v0.norm(-1, keepdim: true).clamp_min(1e-7);
        var u1 = v1 / v1.norm(-1, keepdim: true).clamp_min(1e-7);
        var cos = (u0 * u1).sum(-1, keepdim: true);
        var theta = cos.clamp(-1, 1).acos();
        var sin = theta.sin();
        var colinear = sin.abs() < 1e-8;
        double t = op.T;
        var slerped = ((1 - t) * theta).sin() * v0 + (t * theta).sin() * v1;
        slerped = slerped / sin;
        var lerped = (1 - t) * v0 + t * v1;
        var result = torch.where(colinear, lerped, slerped);
        if (transposed)
            result = result.transpose(0, -1);
        result = result.reshape(shape);
        if (baseT is not null)
            result = result + baseT;
        output.copy_(result);
    }
}
