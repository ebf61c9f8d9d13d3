using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>The register paths: every term of 8 or 16 elements at a time, sums held in registers.</summary>
internal static unsafe partial class FusedTaskArithmetic
{
    /// <summary>One term's broadcast constants for the register path.</summary>
    readonly struct TermVectors(in Term term, long g)
    {
        public readonly nint Data = term.Data;
        public readonly Vector256<float> C = Vector256.Create(term.C);
        public readonly Vector256<float> W = Vector256.Create(term.W);
        public readonly bool Positive = term.C > 0;
        public readonly MaskKeys Keys = new(in term, g);
    }

    static void RegisterTile(Job job, TermVectors* vectors, long g, int len)
    {
        if (job.Terms[0].Bf16)
            RegisterTile<Bf16>(job, vectors, g, len);
        else
            RegisterTile<F32>(job, vectors, g, len);
    }

    static void RegisterTile<TSource>(Job job, TermVectors* vectors, long g, int len)
        where TSource : struct, ISource
    {
        switch (job.Terms[0].Mask)
        {
            case Mask.None:
                RegisterTile<TSource, NoMask>(job, vectors, g, len);
                break;
            case Mask.Random:
                RegisterTile<TSource, RandomMask>(job, vectors, g, len);
                break;
            case Mask.Magnitude:
                RegisterTile<TSource, MagnitudeMask>(job, vectors, g, len);
                break;
            default:
                RegisterTile<TSource, OutlierMask>(job, vectors, g, len);
                break;
        }
    }

    /// <summary>
    /// The same operations as the tile path (<see cref="Accumulate"/> then <see cref="Finish"/>),
    /// but 8 elements at a time through every term with the sums held in registers: base and
    /// sources are read once, the output written once, nothing else touches memory.
    /// </summary>
    static void RegisterTile<TSource, TMask>(Job job, TermVectors* vectors, long g, int len)
        where TSource : struct, ISource
        where TMask : struct, IMask
    {
        var zero = Vector256<float>.Zero;
        var one = Vector256<float>.One;
        var half = Vector256.Create(0.5f);
        var scale = Vector256.Create(job.FinalScale);
        bool scaled = job.FinalScale != 1f;
        bool consensus = job.Consensus,
            divide = job.Divide,
            count = job.Count,
            signs = divide || count;
        int terms = job.Terms.Length;
        ref readonly var first = ref job.Terms[0];
        for (int i = 0; i < len; i += 8)
        {
            long at = g + i;
            var b = job.BaseBf16 ? Bf16.Load(job.Base, at) : F32.Load(job.Base, at);
            Vector256<float> sum = zero,
                positive = zero,
                agree = zero,
                signed = zero,
                votes = zero;
            for (int t = 0; t < terms; t++)
            {
                ref readonly var v = ref vectors[t];
                var x = TSource.Load(v.Data, at) - b;
                x = TMask.Apply(x, in first, in v.Keys, (uint)at);
                sum = Vector256.FusedMultiplyAdd(x, v.C, sum);
                if (!consensus)
                    continue;
                if (signs)
                {
                    var sign =
                        OneWhere(Vector256.GreaterThan(x, zero))
                        - OneWhere(Vector256.LessThan(x, zero));
                    if (!v.Positive)
                        sign = -sign;
                    if (count)
                        votes += sign;
                    if (divide)
                    {
                        signed = Vector256.FusedMultiplyAdd(sign, v.W, signed);
                        agree = Vector256.FusedMultiplyAdd(Vector256.Abs(sign), v.W, agree);
                    }
                }
                var part = v.Positive
                    ? Vector256.ConditionalSelect(Vector256.GreaterThan(zero, x), zero, x)
                    : Vector256.ConditionalSelect(Vector256.LessThan(zero, x), zero, x);
                positive = Vector256.FusedMultiplyAdd(part, v.C, positive);
            }
            if (consensus)
            {
                var majority = OneWhere(Vector256.GreaterThanOrEqual(count ? votes : sum, zero));
                var negative = sum - positive;
                var difference = positive - negative;
                sum = negative + majority * difference;
                if (divide)
                {
                    var sgn = majority * 2f - one;
                    var agreeing = (agree + sgn * signed) * half;
                    agreeing += OneWhere(Vector256.Equals(agreeing, zero));
                    sum /= agreeing;
                }
            }
            if (scaled)
                sum *= scale;
            sum += b;
            if (job.OutputBf16)
            {
                var r = RoundToBf16(sum);
                Vector256.Narrow(r, r).GetLower().Store((ushort*)job.Output + at);
            }
            else
                sum.Store((float*)job.Output + at);
        }
    }

    /// <summary>One term's 16-lane constants for the AVX-512 register path.</summary>
    readonly struct Wide(in Term term, long g)
    {
        public static readonly Vector512<uint> Lanes = Vector512.Create(
            0u,
            1,
            2,
            3,
            4,
            5,
            6,
            7,
            8,
            9,
            10,
            11,
            12,
            13,
            14,
            15
        );
        public readonly nint Data = term.Data;
        public readonly Vector512<float> C = Vector512.Create(term.C);
        public readonly Vector512<float> W = Vector512.Create(term.W);
        public readonly bool Positive = term.C > 0;
        public readonly Vector512<uint> LanesPlusK0 =
            Lanes + Vector512.Create(term.Random.KeysAt(g).K0);
        public readonly Vector512<uint> K1 = Vector512.Create(term.Random.KeysAt(g).K1);
        public readonly Vector512<uint> ScaledThreshold = Vector512.Create(
            term.Threshold < 1u << 24 ? term.Threshold << 8 : uint.MaxValue
        );
        public readonly Vector512<float> Lower = Vector512.Create(term.Lower);
        public readonly Vector512<float> Upper = Vector512.Create(term.Upper);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> OneWhere(Vector512<float> condition) =>
        Vector512.ConditionalSelect(condition, Vector512<float>.One, Vector512<float>.Zero);

    /// <summary>Whether the 16-lane register path runs on this machine.</summary>
    static readonly bool UseWide =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512BW.IsSupported;

    /// <summary><see cref="RegisterTile{TSource, TMask}"/> with 16 lanes (AVX-512): the same operations in the same order.</summary>
    static void WideTile<TSource, TMask>(Job job, Wide* vectors, long g, int len)
        where TSource : struct, ISource
        where TMask : struct, IMask
    {
        var zero = Vector512<float>.Zero;
        var one = Vector512<float>.One;
        var half = Vector512.Create(0.5f);
        var scale = Vector512.Create(job.FinalScale);
        bool scaled = job.FinalScale != 1f;
        bool consensus = job.Consensus,
            divide = job.Divide,
            count = job.Count,
            signs = divide || count;
        int terms = job.Terms.Length;
        for (int i = 0; i < len; i += 16)
        {
            long at = g + i;
            var b = job.BaseBf16 ? Bf16.Load16(job.Base, at) : F32.Load16(job.Base, at);
            Vector512<float> sum = zero,
                positive = zero,
                agree = zero,
                signed = zero,
                votes = zero;
            for (int t = 0; t < terms; t++)
            {
                ref readonly var v = ref vectors[t];
                var x = TSource.Load16(v.Data, at) - b;
                x = TMask.Apply16(x, in v, (uint)at);
                sum = Vector512.FusedMultiplyAdd(x, v.C, sum);
                if (!consensus)
                    continue;
                if (signs)
                {
                    var sign =
                        OneWhere(Vector512.GreaterThan(x, zero))
                        - OneWhere(Vector512.LessThan(x, zero));
                    if (!v.Positive)
                        sign = -sign;
                    if (count)
                        votes += sign;
                    if (divide)
                    {
                        signed = Vector512.FusedMultiplyAdd(sign, v.W, signed);
                        agree = Vector512.FusedMultiplyAdd(Vector512.Abs(sign), v.W, agree);
                    }
                }
                var part = v.Positive
                    ? Vector512.ConditionalSelect(Vector512.GreaterThan(zero, x), zero, x)
                    : Vector512.ConditionalSelect(Vector512.LessThan(zero, x), zero, x);
                positive = Vector512.FusedMultiplyAdd(part, v.C, positive);
            }
            if (consensus)
            {
                var majority = OneWhere(Vector512.GreaterThanOrEqual(count ? votes : sum, zero));
                var negative = sum - positive;
                var difference = positive - negative;
                sum = negative + majority * difference;
                if (divide)
                {
                    var sgn = majority * 2f - one;
                    var agreeing = (agree + sgn * signed) * half;
                    agreeing += OneWhere(Vector512.Equals(agreeing, zero));
                    sum /= agreeing;
                }
            }
            if (scaled)
                sum *= scale;
            sum += b;
            if (job.OutputBf16)
            {
                Avx512F.ConvertToVector256UInt16(RoundToBf16(sum)).Store((ushort*)job.Output + at);
            }
            else
                sum.Store((float*)job.Output + at);
        }
    }

    static void WideTile(Job job, Wide* vectors, long g, int len)
    {
        if (job.Terms[0].Bf16)
            WideTile<Bf16>(job, vectors, g, len);
        else
            WideTile<F32>(job, vectors, g, len);
    }

    static void WideTile<TSource>(Job job, Wide* vectors, long g, int len)
        where TSource : struct, ISource
    {
        switch (job.Terms[0].Mask)
        {
            case Mask.None:
                WideTile<TSource, NoMask>(job, vectors, g, len);
                break;
            case Mask.Random:
                WideTile<TSource, RandomMask>(job, vectors, g, len);
                break;
            case Mask.Magnitude:
                WideTile<TSource, MagnitudeMask>(job, vectors, g, len);
                break;
            default:
                WideTile<TSource, OutlierMask>(job, vectors, g, len);
                break;
        }
    }
}
