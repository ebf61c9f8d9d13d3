using EvoMerge.Checkpoints.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// Rotary position embedding as transformers computes it (float32 inverse frequencies, the
/// rotate_half convention: the two halves of a head are the pair, not interleaved).
/// </summary>
public static class Rotary
{
    /// <summary>inv_freq (headDim/2) in float32, incl. linear and llama3 scaling.</summary>
    public static Tensor InverseFrequencies(RopeSettings rope, int headDim, Device device)
    {
        using var scope = NewDisposeScope();
        // 1 / theta^(2i/d), in float32 like transformers' _compute_default_rope_parameters.
        var exponents =
            arange(0, headDim, 2, ScalarType.Int64, device).to_type(ScalarType.Float32) / headDim;
        var invFreq = pow(rope.Theta, exponents).reciprocal_();
        switch (rope.Type)
        {
            case "default":
                break;
            case "linear":
                invFreq = invFreq / rope.Factor;
                break;
            case "llama3":
                invFreq = Llama3(invFreq, rope);
                break;
            default:
                throw new NotSupportedException($"unsupported rope type '{rope.Type}'");
        }
        return invFreq.MoveToOuterDisposeScope();
    }

    /// <summary>Llama 3.1's frequency-dependent scaling (_compute_llama3_parameters): long wavelengths divided by factor, short kept, a smooth blend between.</summary>
    static Tensor Llama3(Tensor invFreq, RopeSettings rope)
    {
        double oldContext = rope.OriginalMaxPositionEmbeddings;
        double lowFreqWavelen = oldContext / rope.LowFreqFactor;
        double highFreqWavelen = oldContext / rope.HighFreqFactor;
        var wavelen = 2 * Math.PI / invFreq;
        var scaled = where(wavelen > lowFreqWavelen, invFreq / rope.Factor, invFreq);
        var smooth =
            (oldContext / wavelen - rope.LowFreqFactor)
            / (rope.HighFreqFactor - rope.LowFreqFactor);
        var smoothed = (1 - smooth) * scaled / rope.Factor + smooth * scaled;
        var medium = (wavelen >= highFreqWavelen).logical_and(wavelen <= lowFreqWavelen);
        return where(medium, smoothed, scaled);
    }

    /// <summary>cos and sin tables for the positions, each (B, T, headDim), in <paramref name="dtype"/>.</summary>
    public static (Tensor Cos, Tensor Sin) Tables(
        Tensor positions,
        Tensor invFreq,
        ScalarType dtype
    )
    {
        using var scope = NewDisposeScope();
        // (B, T, 1) * (hd/2) -> (B, T, hd/2); a K=1 matmul in transformers, exactly this product.
        var freqs = positions.to_type(ScalarType.Float32).unsqueeze(-1) * invFreq;
        var emb = cat([freqs, freqs], -1); // (B, T, hd)
        var cos = emb.cos().to_type(dtype);
        var sin = emb.sin().to_type(dtype);
        return (cos.MoveToOuterDisposeScope(), sin.MoveToOuterDisposeScope());
    }

    /// <summary>x * cos + rotate_half(x) * sin for x (B, H, T, hd) and tables (B, T, hd).</summary>
    /// <remarks>
    /// rotate_half(x) = [−x2, x1], so the first half is x1·cos − x2·sin and the second x2·cos + x1·sin:
    /// one product and two in-place addcmul_ on its halves instead of neg, cat, two products and a sum
    /// (3 kernels, 1 allocation instead of 5 each, per call; the decode step is dominated by such overhead).
    /// Not bit for bit: addcmul_ rounds x·s + y once where the textbook form rounds twice; within 1e-6
    /// in float32 of <see cref="ApplyReference"/> (tested), and the transformers parity tests hold.
    /// </remarks>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var s = sin.unsqueeze(1); // (B, 1, T, hd)
        var result = x * cos.unsqueeze(1);
        result.narrow(-1, 0, half).addcmul_(x.narrow(-1, half, half), s.narrow(-1, 0, half), -1);
        result.narrow(-1, half, half).addcmul_(x.narrow(-1, 0, half), s.narrow(-1, half, half), 1);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The textbook form, x * cos + cat(−x2, x1) * sin: the reference <see cref="Apply"/> is tested against.</summary>
    public static Tensor ApplyReference(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        long half = x.shape[^1] / 2;
        var x1 = x.narrow(-1, 0, half);
        var x2 = x.narrow(-1, half, half);
        var rotated = cat([x2.neg(), x1], -1); // rotate_half
        var result = x * cos.unsqueeze(1) + rotated * sin.unsqueeze(1);
        return result.MoveToOuterDisposeScope();
    }
}
