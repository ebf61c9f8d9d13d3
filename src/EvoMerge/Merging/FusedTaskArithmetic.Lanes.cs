using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>Source dtypes and mask kinds as struct type arguments, so the JIT specializes the hot loops.</summary>
internal static unsafe partial class FusedTaskArithmetic
{
    interface ISource
    {
        /// <summary>8 elements from <paramref name="at"/> as float32.</summary>
        static abstract Vector256<float> Load(nint data, long at);

        /// <summary>16 elements from <paramref name="at"/> as float32 (AVX-512 only).</summary>
        static abstract Vector512<float> Load16(nint data, long at);
    }

    struct Bf16 : ISource
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(nint data, long at)
        {
            ushort* p = (ushort*)data + at;
            var wide = System.Runtime.Intrinsics.X86.Avx2.IsSupported
                ? System.Runtime.Intrinsics.X86.Avx2.ConvertToVector256Int32(p).AsUInt32()
                : Vector256.Create(
                    Vector128.WidenLower(Vector128.Load(p)),
                    Vector128.WidenUpper(Vector128.Load(p))
                );
            return Vector256.ShiftLeft(wide, 16).AsSingle(); // bf16 is the top half of a float32
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(nint data, long at) =>
            Vector512
                .ShiftLeft(Avx512F.ConvertToVector512Int32(Vector256.Load((ushort*)data + at)), 16)
                .AsSingle();
    }

    struct F32 : ISource
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Load(nint data, long at) =>
            Vector256.Load((float*)data + at);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Load16(nint data, long at) =>
            Vector512.Load((float*)data + at);
    }

    interface IMask
    {
        /// <summary>d ⊙ mask for the 8 elements from global index <paramref name="index"/>.</summary>
        static abstract Vector256<float> Apply(
            Vector256<float> d,
            in Term term,
            in MaskKeys keys,
            uint index
        );

        /// <summary>d ⊙ mask for the 16 elements from global index <paramref name="index"/> (AVX-512).</summary>
        static abstract Vector512<float> Apply16(Vector512<float> d, in Wide v, uint index);
    }

    /// <summary>Per-tile broadcast constants of one term's mask.</summary>
    readonly struct MaskKeys(in Term term, long g)
    {
        public readonly Vector256<uint> K0 = Vector256.Create(term.Random.KeysAt(g).K0);
        public readonly Vector256<uint> K1 = Vector256.Create(term.Random.KeysAt(g).K1);
        public readonly Vector256<int> Threshold = Vector256.Create((int)term.Threshold);
        public readonly Vector256<float> Lower = Vector256.Create(term.Lower);
        public readonly Vector256<float> Upper = Vector256.Create(term.Upper);
    }

    struct NoMask : IMask
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Apply16(Vector512<float> d, in Wide v, uint index) => d;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(
            Vector256<float> d,
            in Term term,
            in MaskKeys keys,
            uint index
        ) => d;
    }

    struct RandomMask : IMask
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Apply16(Vector512<float> d, in Wide v, uint index)
        {
            var x = Vector512.Create(index) + v.LanesPlusK0;
            x ^= Vector512.ShiftRightLogical(x, 16);
            x *= Vector512.Create(0x7feb352dU);
            x ^= Vector512.ShiftRightLogical(x, 15);
            x ^= v.K1;
            x *= Vector512.Create(0x846ca68bU);
            x ^= Vector512.ShiftRightLogical(x, 16); // CounterMask.Mix, 16 lanes
            // (u >> 8) < T  ⇔  u < T·2⁸ (T < 2²⁴ for density < 1): one unsigned compare.
            return d * OneWhere(Vector512.LessThan(x, v.ScaledThreshold).AsSingle());
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(
            Vector256<float> d,
            in Term term,
            in MaskKeys keys,
            uint index
        )
        {
            var u = CounterMask.Mix(Vector256.Create(index) + CounterMask.Lanes, keys.K0, keys.K1);
            return d
                * OneWhere(
                    Vector256
                        .LessThan(Vector256.ShiftRightLogical(u, 8).AsInt32(), keys.Threshold)
                        .AsSingle()
                );
        }
    }

    struct MagnitudeMask : IMask
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Apply16(Vector512<float> d, in Wide v, uint index) =>
            d * OneWhere(Vector512.GreaterThanOrEqual(Vector512.Abs(d), v.Lower));

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(
            Vector256<float> d,
            in Term term,
            in MaskKeys keys,
            uint index
        ) => d * OneWhere(Vector256.GreaterThanOrEqual(Vector256.Abs(d), keys.Lower));
    }

    struct OutlierMask : IMask
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<float> Apply16(Vector512<float> d, in Wide v, uint index)
        {
            var abs = Vector512.Abs(d);
            return d
                * OneWhere(
                    Vector512.GreaterThanOrEqual(abs, v.Lower) & Vector512.LessThan(abs, v.Upper)
                );
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<float> Apply(
            Vector256<float> d,
            in Term term,
            in MaskKeys keys,
            uint index
        )
        {
            var abs = Vector256.Abs(d);
            return d
                * OneWhere(
                    Vector256.GreaterThanOrEqual(abs, keys.Lower)
                        & Vector256.LessThan(abs, keys.Upper)
                );
        }
    }
}
