using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// The same hash as <see cref="Mix(uint, uint, uint)"/>, as int64 tensor ops that run on any device
/// (CUDA has no counter-hash kernel of ours; libtorch has no uint32 arithmetic and no unsigned
/// 64-bit multiply). Every intermediate stays in [0, 2⁶³): values are kept in 32 bits by a mask, and
/// the second multiplier (≥ 2³¹, whose product could pass 2⁶³) is split into 16-bit halves, so the
/// bits equal the CPU path's exactly.
/// </summary>
public readonly partial struct CounterMask
{
    const long Low32 = 0xFFFF_FFFFL;
    const long M1 = 0x7feb352dL; // < 2³¹: x · M1 < 2⁶³
    const long M2Hi = 0x846cL,
        M2Lo = 0xa68bL; // 0x846ca68b = M2Hi · 2¹⁶ + M2Lo

    /// <summary>The 32-bit draws (as int64) of elements <paramref name="start"/>…+<paramref name="count"/> on <paramref name="device"/>.</summary>
    public Tensor DrawTensor(long start, long count, Device device)
    {
        using var scope = NewDisposeScope();
        var parts = new List<Tensor>();
        for (long at = start; at < start + count; )
        {
            // A run never crosses a 2³² boundary of the index (the keys change there).
            long end = Math.Min(start + count, (at | Low32) + 1);
            var (k0, k1) = KeysAt(at);
            var index = arange(at & Low32, (at & Low32) + (end - at), ScalarType.Int64, device);
            parts.Add(MixTensor(index, k0, k1));
            at = end;
        }
        var all = parts.Count == 1 ? parts[0] : cat(parts);
        return all.MoveToOuterDisposeScope();
    }

    /// <summary>The keep mask (bool) of elements <paramref name="start"/>… at keep probability <paramref name="probability"/>: u &gt;&gt; 8 &lt; <see cref="Threshold"/>(p), as on the CPU.</summary>
    public Tensor KeepTensor(long start, long count, double probability, Device device)
    {
        using var scope = NewDisposeScope();
        var u = DrawTensor(start, count, device);
        return u.bitwise_right_shift_(Scalar(8, device))
            .lt(Threshold(probability))
            .MoveToOuterDisposeScope();
    }

    /// <summary>The keep mask (bool) at per-element probabilities (DELLA): (u &gt;&gt; 8) · 2⁻²⁴ &lt; p in float32, as <see cref="Fill(Span{float}, ReadOnlySpan{float}, long)"/>.</summary>
    public Tensor KeepTensor(long start, Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        var p = probabilities.reshape(-1).to_type(ScalarType.Float32);
        var u = DrawTensor(start, p.numel(), p.device);
        return u.bitwise_right_shift_(Scalar(8, p.device))
            .to_type(ScalarType.Float32)
            .mul_(1f / (1 << 24))
            .lt(p)
            .MoveToOuterDisposeScope();
    }

    static Tensor MixTensor(Tensor x, uint k0, uint k1)
    {
        var device = x.device;
        var low = Scalar(Low32, device);
        x = x.add_(k0).bitwise_and_(low);
        x = x.bitwise_xor_(x.bitwise_right_shift(Scalar(16, device)));
        x = x.mul_(M1).bitwise_and_(low);
        x = x.bitwise_xor_(x.bitwise_right_shift(Scalar(15, device)));
        x = x.bitwise_xor_(Scalar(k1, device));
        // x · 0x846ca68b mod 2³² = (x · lo + ((x · hi) mod 2¹⁶) · 2¹⁶) mod 2³²; each product < 2⁴⁸.
        var high = x.mul(M2Hi)
            .bitwise_and_(Scalar(0xFFFF, device))
            .bitwise_left_shift_(Scalar(16, device));
        x = x.mul_(M2Lo).add_(high).bitwise_and_(low);
        return x.bitwise_xor_(x.bitwise_right_shift(Scalar(16, device)));
    }

    static Tensor Scalar(long value, Device device) => tensor(value, ScalarType.Int64, device);
}
