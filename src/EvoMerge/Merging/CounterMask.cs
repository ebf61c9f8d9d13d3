using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// The CPU random-mask generator: a counter-based hash, so element <c>j</c> of one task vector's
/// mask is a pure function of (merge seed, tensor name, term index, j) and costs a few integer
/// instructions (libtorch's CPU <c>bernoulli_</c> costs ≈ 11 ns per element, ten times a plain
/// sum). The draw is u = mix(j) with Wellons' lowbias32 mixer keyed by two 32-bit words from
/// <see cref="MaskSeeds"/> (one added before the first round, one xor-ed between the rounds, so
/// masks of different tensors or terms are not shifted copies of one sequence); element j is
/// kept with probability p iff <c>(u &gt;&gt; 8) · 2⁻²⁴ &lt; p</c>. Indices past 2³² take their
/// keys from the block <c>j &gt;&gt; 32</c>. Masks do not depend on chunking or thread count,
/// nor on the device: off the CPU the same hash runs as integer tensor ops
/// (<see cref="DrawTensor"/>), bit for bit, so a merge is a function of (recipe, seed) everywhere.
/// </summary>
public readonly partial struct CounterMask
{
    readonly long _seed;
    readonly string _tensorName;
    readonly int _term;
    readonly uint _k0,
        _k1;

    /// <summary>The mask of task vector <paramref name="term"/> of tensor <paramref name="tensorName"/> under merge seed <paramref name="seed"/>.</summary>
    public CounterMask(long seed, string tensorName, int term)
    {
        _seed = seed;
        _tensorName = tensorName;
        _term = term;
        (_k0, _k1) = KeysOf(seed, tensorName, term, 0);
    }

    static (uint, uint) KeysOf(long seed, string name, int term, long block)
    {
        ulong key = MaskSeeds.For(seed, name, term, block);
        return ((uint)key, (uint)(key >> 32));
    }

    /// <summary>The two key words for the 2³²-element block holding <paramref name="index"/>.</summary>
    internal (uint K0, uint K1) KeysAt(long index) =>
        (index >> 32) == 0 ? (_k0, _k1) : KeysOf(_seed, _tensorName, _term, index >> 32);

    /// <summary>The 32-bit draw for element <paramref name="index"/>.</summary>
    public uint Draw(long index)
    {
        var (k0, k1) = KeysAt(index);
        return Mix((uint)index, k0, k1);
    }

    /// <summary>Whether element <paramref name="index"/> is kept at keep probability <paramref name="probability"/>.</summary>
    public bool Keep(long index, double probability) => (Draw(index) >> 8) < Threshold(probability);

    /// <summary>The integer form of a keep probability p: keep iff <c>u &gt;&gt; 8 &lt; Threshold(p)</c> (= ⌈p · 2²⁴⌉, clamped).</summary>
    public static uint Threshold(double probability) =>
        probability <= 0 ? 0
        : probability >= 1 ? 1u << 24
        : (uint)Math.Ceiling(probability * (1 << 24));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Mix(uint x, uint k0, uint k1)
    {
        x += k0;
        x ^= x >> 16;
        x *= 0x7feb352dU;
        x ^= x >> 15;
        x ^= k1;
        x *= 0x846ca68bU;
        return x ^ (x >> 16);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<uint> Mix(Vector256<uint> x, Vector256<uint> k0, Vector256<uint> k1)
    {
        x += k0;
        x ^= Vector256.ShiftRightLogical(x, 16);
        x *= Vector256.Create(0x7feb352dU);
        x ^= Vector256.ShiftRightLogical(x, 15);
        x ^= k1;
        x *= Vector256.Create(0x846ca68bU);
        return x ^ Vector256.ShiftRightLogical(x, 16);
    }

    /// <summary>Lane offsets 0..7, added to a block's first index.</summary>
    internal static readonly Vector256<uint> Lanes = Vector256.Create(0u, 1, 2, 3, 4, 5, 6, 7);

    /// <summary>
    /// Multiplies <paramref name="values"/> (elements <paramref name="start"/>… of the tensor) by
    /// this mask at keep probability <paramref name="probability"/>: kept elements stay, dropped
    /// ones become x · 0 (as <c>d.mul_(mask)</c> would).
    /// </summary>
    internal void Apply(Span<float> values, long start, double probability)
    {
        uint threshold = Threshold(probability);
        int i = 0;
        while (i < values.Length)
        {
            // Never let one run cross a 2³² boundary of the index (the keys change there).
            long segmentEnd = ((start + i) | 0xFFFF_FFFFL) + 1;
            int end = (int)Math.Min(values.Length, segmentEnd - start);
            var (k0, k1) = KeysAt(start + i);
            ApplySegment(values[i..end], (uint)(start + i), k0, k1, threshold);
            i = end;
        }
    }

    static void ApplySegment(Span<float> values, uint first, uint k0, uint k1, uint threshold)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var vk0 = Vector256.Create(k0);
            var vk1 = Vector256.Create(k1);
            var vt = Vector256.Create((int)threshold);
            ref float r = ref MemoryMarshal.GetReference(values);
            for (; i + 8 <= values.Length; i += 8)
            {
                var u = Mix(Vector256.Create(first + (uint)i) + Lanes, vk0, vk1);
                var keep = Vector256.LessThan(Vector256.ShiftRightLogical(u, 8).AsInt32(), vt);
                var m = Vector256.ConditionalSelect(
                    keep.AsSingle(),
                    Vector256<float>.One,
                    Vector256<float>.Zero
                );
                var at = Vector256.LoadUnsafe(ref r, (nuint)i);
                (at * m).StoreUnsafe(ref r, (nuint)i);
            }
        }
        for (; i < values.Length; i++)
            values[i] *= (Mix(first + (uint)i, k0, k1) >> 8) < threshold ? 1f : 0f;
    }

    /// <summary>
    /// Writes the keep mask (1 or 0) of elements <paramref name="start"/>… into
    /// <paramref name="mask"/>, each element kept with its own probability from
    /// <paramref name="probabilities"/> (DELLA): keep iff <c>(u &gt;&gt; 8) · 2⁻²⁴ &lt; p</c>.
    /// </summary>
    internal void Fill(Span<float> mask, ReadOnlySpan<float> probabilities, long start)
    {
        const float Unit = 1f / (1 << 24);
        for (int i = 0; i < mask.Length; i++)
            mask[i] = (Draw(start + i) >> 8) * Unit < probabilities[i] ? 1f : 0f;
    }

    /// <summary>Multiplies a contiguous CPU float32 tensor holding elements <paramref name="start"/>… by the mask at keep probability <paramref name="probability"/>.</summary>
    public void Apply(Tensor values, long start, double probability)
    {
        var self = this;
        ForEachSpan(values, (span, offset) => self.Apply(span, start + offset, probability));
    }

    /// <summary>Writes into <paramref name="mask"/> (contiguous CPU float32) the keep mask of elements <paramref name="start"/>… at the per-element <paramref name="probabilities"/> (same length, float32).</summary>
    public void Fill(Tensor mask, Tensor probabilities, long start)
    {
        using var scope = NewDisposeScope();
        var p = probabilities.reshape(-1).contiguous();
        var self = this;
        ForEachSpan(
            mask,
            (span, offset) =>
            {
                var ps = p.narrow(0, offset, span.Length).bytes;
                self.Fill(span, MemoryMarshal.Cast<byte, float>(ps), start + offset);
            }
        );
    }

    delegate void SpanAction(Span<float> span, long offset);

    /// <summary>Visits a contiguous CPU float32 tensor as spans (a span holds at most 2³¹ bytes).</summary>
    static void ForEachSpan(Tensor values, SpanAction action)
    {
        if (
            values.device_type != DeviceType.CPU
            || values.dtype != ScalarType.Float32
            || !values.is_contiguous()
        )
            throw new ArgumentException(
                "counter masks are written into contiguous CPU float32 tensors",
                nameof(values)
            );
        using var scope = NewDisposeScope();
        var flat = values.view(-1);
        long n = flat.numel();
        const long Piece = 1L << 28;
        for (long offset = 0; offset < n; offset += Piece)
        {
            var part = flat.narrow(0, offset, Math.Min(Piece, n - offset));
            action(MemoryMarshal.Cast<byte, float>(part.bytes), offset);
        }
    }
}
