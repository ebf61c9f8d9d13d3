using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// The CPU fast path of <see cref="TaskArithmeticKernel"/> (one generalized task-arithmetic
/// kernel; TIES, DARE, task arithmetic, breadcrumbs are named presets of it, and the torch-op
/// kernel stays its specification). One pass over memory: each tile of 512 elements reads the
/// base and every source once (bf16 or float32 storage, float32 math), masks, elects signs and
/// sums in L1-resident tile buffers with 256-bit vectors, and writes the output once. Every
/// operation repeats the torch-op kernel's float32 operation in the same order (libtorch's
/// <c>add_(x, alpha)</c> is a fused multiply-add), so the two paths agree to the bit on
/// vectorized elements. Tiles are grouped into blocks run with <see cref="Parallel.For(long, long, ParallelOptions, Action{long})"/>
/// on at most <c>torch.get_num_threads()</c> threads. DELLA (per-row ranks), CUDA, other dtypes
/// and non-contiguous tensors take the torch-op kernel.
/// </summary>
internal static unsafe class FusedTaskArithmetic
{
    const int Tile = 512;
    const int TilesPerBlock = 128;

    /// <summary>Whether the fast path can run this merge.</summary>
    public static bool Applies(
        TaskArithmeticOperation op,
        IReadOnlyList<Tensor> inputs,
        Tensor output,
        MergeScratch scratch
    )
    {
        if (
            !scratch.FastPath
            || scratch.Device.type != DeviceType.CPU
            || scratch.ComputeDtype != ScalarType.Float32
            || op.Sparsification == Sparsification.Della
            || !Vector256.IsHardwareAccelerated
        )
            return false;
        long n = output.numel();
        foreach (var t in inputs.Append(output))
            if (
                t.device_type != DeviceType.CPU
                || t.dtype is not (ScalarType.Float32 or ScalarType.BFloat16)
                || !t.is_contiguous()
                || t.numel() != n
            )
                return false;
        return n > 0;
    }

    enum Mask
    {
        None,
        Random,
        Magnitude,
        Outliers,
    }

    struct Term
    {
        public nint Data;
        public bool Bf16;
        public Mask Mask;
        public float C; // weight × rescale: the alpha of S += c·d
        public float W; // weight (normalize's agreeing weight)
        public uint Threshold;
        public CounterMask Random;
        public float Lower,
            Upper;
    }

    sealed class Job
    {
        public long N;
        public nint Base,
            Output;
        public bool BaseBf16,
            OutputBf16;
        public Term[] Terms = [];
        public bool Consensus,
            Divide,
            Count;
        public float FinalScale;
        public bool Uniform; // every term has the same mask kind and storage dtype: the register path applies
    }

    /// <summary>Runs the merge; <paramref name="scale"/>, <paramref name="lower"/>, <paramref name="upper"/> are the prepared per-term rescale factors and magnitude thresholds.</summary>
    public static void Run(
        TaskArithmeticOperation op,
        IReadOnlyList<Tensor> inputs,
        Tensor output,
        long seed,
        string tensorName,
        double[] scale,
        double[] lower,
        double[] upper
    )
    {
        using var scope = NewDisposeScope();
        var job = new Job
        {
            N = output.numel(),
            Base = Pointer(inputs[0]),
            BaseBf16 = inputs[0].dtype == ScalarType.BFloat16,
            Output = Pointer(output),
            OutputBf16 = output.dtype == ScalarType.BFloat16,
            Consensus = op.Consensus != Consensus.None,
            Count = op.Consensus == Consensus.Count,
        };
        job.Divide = op.Normalize && job.Consensus;
        double final = op.Lambda;
        if (!job.Consensus && op.Normalize)
        {
            double weightSum = op.Terms.Sum(t => t.Weight);
            final /= Math.Abs(weightSum) < 1e-8 ? 1 : weightSum;
        }
        job.FinalScale = (float)final;
        var terms = new List<Term>();
        for (int i = 0; i < op.Terms.Count; i++)
        {
            var term = op.Terms[i];
            if (term.Weight == 0)
                continue; // contributes nothing, as in the torch-op kernel
            var mask =
                term.Density >= 1
                    ? Mask.None
                    : op.Sparsification switch
                    {
                        Sparsification.Random => Mask.Random,
                        Sparsification.Magnitude => Mask.Magnitude,
                        Sparsification.MagnitudeOutliers => Mask.Outliers,
                        _ => Mask.None,
                    };
            terms.Add(
                new Term
                {
                    Data = Pointer(inputs[i + 1]),
                    Bf16 = inputs[i + 1].dtype == ScalarType.BFloat16,
                    Mask = mask,
                    C = (float)(term.Weight * scale[i]),
                    W = (float)term.Weight,
                    Threshold = CounterMask.Threshold(term.Density),
                    Random = new CounterMask(seed, tensorName, i),
                    Lower = (float)lower[i],
                    Upper = (float)upper[i],
                }
            );
        }
        job.Terms = [.. terms];
        job.Uniform =
            terms.Count > 0 && terms.All(t => t.Mask == terms[0].Mask && t.Bf16 == terms[0].Bf16);
        long tiles = (job.N + Tile - 1) / Tile;
        long blocks = (tiles + TilesPerBlock - 1) / TilesPerBlock;
        int threads = Math.Max(1, torch.get_num_threads());
        if (threads == 1 || blocks == 1)
            for (long b = 0; b < blocks; b++)
                RunBlock(job, b);
        else
            Parallel.For(
                0,
                blocks,
                new ParallelOptions { MaxDegreeOfParallelism = threads },
                b => RunBlock(job, b)
            );
    }

    /// <summary>The address of a contiguous CPU tensor's first element (valid while the tensor lives).</summary>
    static nint Pointer(Tensor t) =>
        (nint)Unsafe.AsPointer(ref MemoryMarshal.GetReference(t.view(-1).narrow(0, 0, 1).bytes));

    static void RunBlock(Job job, long block)
    {
        float* buffers = stackalloc float[Tile * 7];
        float* b = buffers,
            s = buffers + Tile,
            p = buffers + 2 * Tile,
            a = buffers + 3 * Tile,
            bw = buffers + 4 * Tile,
            c = buffers + 5 * Tile,
            d = buffers + 6 * Tile;
        long first = block * TilesPerBlock * Tile;
        long end = Math.Min(job.N, first + (long)TilesPerBlock * Tile);
        TermVectors* vectors = stackalloc TermVectors[job.Uniform ? job.Terms.Length : 0];
        if (job.Uniform)
            for (int t = 0; t < job.Terms.Length; t++)
                vectors[t] = new TermVectors(in job.Terms[t], first); // a block never crosses a 2³² index boundary
        Wide* wide = null;
        if (job.Uniform && UseWide)
        {
            Wide* w = stackalloc Wide[job.Terms.Length];
            for (int t = 0; t < job.Terms.Length; t++)
                w[t] = new Wide(in job.Terms[t], first);
            wide = w;
        }
        for (long g = first; g < end; g += Tile)
        {
            int len = (int)Math.Min(Tile, end - g);
            int padded = (len + 7) & ~7; // whole vectors; the padding is computed, never stored
            if (wide != null && len % 16 == 0)
            {
                WideTile(job, wide, g, len);
                continue;
            }
            if (job.Uniform && len == padded)
            {
                RegisterTile(job, vectors, g, len);
                continue;
            }
            Load(job.Base, job.BaseBf16, g, len, padded, b);
            Clear(s, padded);
            if (job.Consensus)
                Clear(p, padded);
            if (job.Divide)
            {
                Clear(a, padded);
                Clear(bw, padded);
            }
            if (job.Count)
                Clear(c, padded);
            foreach (ref readonly var term in job.Terms.AsSpan())
            {
                if (len == padded)
                    Dispatch(job, in term, term.Data, term.Bf16, g, g, padded, b, s, p, a, bw, c);
                else
                {
                    // The ragged last tile: stage it zero-padded, so the loop reads whole vectors.
                    Load(term.Data, term.Bf16, g, len, padded, d);
                    Dispatch(job, in term, (nint)d, false, 0, g, padded, b, s, p, a, bw, c);
                }
            }
            Finish(job, padded, b, s, p, a, bw, c);
            Store(job.Output, job.OutputBf16, g, len, s);
        }
    }

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
        switch (job.Terms[0].Mask, job.Terms[0].Bf16)
        {
            case (Mask.None, true):
                RegisterTile<Bf16, NoMask>(job, vectors, g, len);
                break;
            case (Mask.None, false):
                RegisterTile<F32, NoMask>(job, vectors, g, len);
                break;
            case (Mask.Random, true):
                RegisterTile<Bf16, RandomMask>(job, vectors, g, len);
                break;
            case (Mask.Random, false):
                RegisterTile<F32, RandomMask>(job, vectors, g, len);
                break;
            case (Mask.Magnitude, true):
                RegisterTile<Bf16, MagnitudeMask>(job, vectors, g, len);
                break;
            case (Mask.Magnitude, false):
                RegisterTile<F32, MagnitudeMask>(job, vectors, g, len);
                break;
            case (Mask.Outliers, true):
                RegisterTile<Bf16, OutlierMask>(job, vectors, g, len);
                break;
            default:
                RegisterTile<F32, OutlierMask>(job, vectors, g, len);
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
        public readonly Vector512<uint> K0 = Vector512.Create(term.Random.KeysAt(g).K0);
        public readonly Vector512<uint> K1 = Vector512.Create(term.Random.KeysAt(g).K1);
        public readonly Vector512<int> Threshold = Vector512.Create((int)term.Threshold);
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
                var u = sum.AsUInt32();
                var rounded = Vector512.ShiftRightLogical(
                    u
                        + Vector512.Create(0x7FFFu)
                        + (Vector512.ShiftRightLogical(u, 16) & Vector512<uint>.One),
                    16
                );
                rounded = Vector512.ConditionalSelect(
                    Vector512.Equals(sum, sum).AsUInt32(),
                    rounded,
                    Vector512.Create(0x7FC0u)
                );
                Avx512F.ConvertToVector256UInt16(rounded).Store((ushort*)job.Output + at);
            }
            else
                sum.Store((float*)job.Output + at);
        }
    }

    static void WideTile(Job job, Wide* vectors, long g, int len)
    {
        switch (job.Terms[0].Mask, job.Terms[0].Bf16)
        {
            case (Mask.None, true):
                WideTile<Bf16, NoMask>(job, vectors, g, len);
                break;
            case (Mask.None, false):
                WideTile<F32, NoMask>(job, vectors, g, len);
                break;
            case (Mask.Random, true):
                WideTile<Bf16, RandomMask>(job, vectors, g, len);
                break;
            case (Mask.Random, false):
                WideTile<F32, RandomMask>(job, vectors, g, len);
                break;
            case (Mask.Magnitude, true):
                WideTile<Bf16, MagnitudeMask>(job, vectors, g, len);
                break;
            case (Mask.Magnitude, false):
                WideTile<F32, MagnitudeMask>(job, vectors, g, len);
                break;
            case (Mask.Outliers, true):
                WideTile<Bf16, OutlierMask>(job, vectors, g, len);
                break;
            default:
                WideTile<F32, OutlierMask>(job, vectors, g, len);
                break;
        }
    }

    static void Clear(float* x, int n) => new Span<float>(x, n).Clear();

    /// <summary>Elements g… of a bf16 or float32 buffer as float32 (bf16 widens exactly), zero-padded to <paramref name="padded"/>.</summary>
    static void Load(nint data, bool bf16, long g, int len, int padded, float* into)
    {
        int i = 0;
        if (bf16)
        {
            ushort* src = (ushort*)data + g;
            for (; i + 16 <= len; i += 16)
            {
                var (lo, hi) = Vector256.Widen(Vector256.Load(src + i));
                Vector256.ShiftLeft(lo, 16).AsSingle().Store(into + i);
                Vector256.ShiftLeft(hi, 16).AsSingle().Store(into + i + 8);
            }
            for (; i < len; i++)
                into[i] = BitConverter.Int32BitsToSingle(src[i] << 16);
        }
        else
            new ReadOnlySpan<float>((float*)data + g, len).CopyTo(new Span<float>(into, len));
        new Span<float>(into + len, padded - len).Clear();
    }

    /// <summary>Elements g… of the result, rounded to bf16 (nearest, ties to even, as libtorch) or stored as float32.</summary>
    static void Store(nint data, bool bf16, long g, int len, float* from)
    {
        if (!bf16)
        {
            new ReadOnlySpan<float>(from, len).CopyTo(new Span<float>((float*)data + g, len));
            return;
        }
        ushort* dst = (ushort*)data + g;
        int i = 0;
        for (; i + 16 <= len; i += 16)
            Vector256
                .Narrow(
                    RoundToBf16(Vector256.Load(from + i)),
                    RoundToBf16(Vector256.Load(from + i + 8))
                )
                .Store(dst + i);
        for (; i < len; i++)
        {
            float x = from[i];
            uint u = BitConverter.SingleToUInt32Bits(x);
            dst[i] = float.IsNaN(x)
                ? (ushort)0x7FC0
                : (ushort)((u + 0x7FFF + ((u >> 16) & 1)) >> 16);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<uint> RoundToBf16(Vector256<float> x)
    {
        var u = x.AsUInt32();
        var rounded = Vector256.ShiftRightLogical(
            u
                + Vector256.Create(0x7FFFu)
                + (Vector256.ShiftRightLogical(u, 16) & Vector256<uint>.One),
            16
        );
        return Vector256.ConditionalSelect(
            Vector256.Equals(x, x).AsUInt32(),
            rounded,
            Vector256.Create(0x7FC0u)
        );
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> OneWhere(Vector256<float> condition) =>
        Vector256.ConditionalSelect(condition, Vector256<float>.One, Vector256<float>.Zero);

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
            var x = Vector512.Create(index) + Wide.Lanes + v.K0;
            x ^= Vector512.ShiftRightLogical(x, 16);
            x *= Vector512.Create(0x7feb352dU);
            x ^= Vector512.ShiftRightLogical(x, 15);
            x ^= v.K1;
            x *= Vector512.Create(0x846ca68bU);
            x ^= Vector512.ShiftRightLogical(x, 16); // CounterMask.Mix, 16 lanes
            var keep = Vector512.LessThan(Vector512.ShiftRightLogical(x, 8).AsInt32(), v.Threshold);
            return d * OneWhere(keep.AsSingle());
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

    static void Dispatch(
        Job job,
        in Term term,
        nint data,
        bool bf16,
        long at,
        long g,
        int padded,
        float* b,
        float* s,
        float* p,
        float* a,
        float* bw,
        float* c
    )
    {
        switch (term.Mask, bf16)
        {
            case (Mask.None, true):
                Accumulate<Bf16, NoMask>(job, in term, data, at, g, padded, b, s, p, a, bw, c);
                break;
            case (Mask.None, false):
                Accumulate<F32, NoMask>(job, in term, data, at, g, padded, b, s, p, a, bw, c);
                break;
            case (Mask.Random, true):
                Accumulate<Bf16, RandomMask>(job, in term, data, at, g, padded, b, s, p, a, bw, c);
                break;
            case (Mask.Random, false):
                Accumulate<F32, RandomMask>(job, in term, data, at, g, padded, b, s, p, a, bw, c);
                break;
            case (Mask.Magnitude, true):
                Accumulate<Bf16, MagnitudeMask>(
                    job,
                    in term,
                    data,
                    at,
                    g,
                    padded,
                    b,
                    s,
                    p,
                    a,
                    bw,
                    c
                );
                break;
            case (Mask.Magnitude, false):
                Accumulate<F32, MagnitudeMask>(
                    job,
                    in term,
                    data,
                    at,
                    g,
                    padded,
                    b,
                    s,
                    p,
                    a,
                    bw,
                    c
                );
                break;
            case (Mask.Outliers, true):
                Accumulate<Bf16, OutlierMask>(job, in term, data, at, g, padded, b, s, p, a, bw, c);
                break;
            default:
                Accumulate<F32, OutlierMask>(job, in term, data, at, g, padded, b, s, p, a, bw, c);
                break;
        }
    }

    /// <summary>
    /// One term over one tile, in registers: d = mask ⊙ (x − b) (the mask multiplied in as 1 or 0,
    /// like <c>d.mul_(m)</c>); S += c·d; with consensus also P += c·(d's part with c's sign), and
    /// the count / agreeing-weight sums.
    /// </summary>
    static void Accumulate<TSource, TMask>(
        Job job,
        in Term term,
        nint data,
        long at,
        long g,
        int padded,
        float* b,
        float* s,
        float* p,
        float* a,
        float* bw,
        float* c
    )
        where TSource : struct, ISource
        where TMask : struct, IMask
    {
        var keys = new MaskKeys(in term, g); // a tile never crosses a 2³² index boundary
        var cv = Vector256.Create(term.C);
        var wv = Vector256.Create(term.W);
        bool positive = term.C > 0;
        bool consensus = job.Consensus,
            signs = job.Divide || job.Count;
        var zero = Vector256<float>.Zero;
        for (int i = 0; i < padded; i += 8)
        {
            var x = TSource.Load(data, at + i) - Vector256.Load(b + i);
            x = TMask.Apply(x, in term, in keys, (uint)(g + i));
            Vector256.FusedMultiplyAdd(x, cv, Vector256.Load(s + i)).Store(s + i);
            if (!consensus)
                continue;
            if (signs)
            {
                var sign =
                    OneWhere(Vector256.GreaterThan(x, zero))
                    - OneWhere(Vector256.LessThan(x, zero));
                if (!positive)
                    sign = -sign;
                if (job.Count)
                    (Vector256.Load(c + i) + sign).Store(c + i);
                if (job.Divide)
                {
                    Vector256.FusedMultiplyAdd(sign, wv, Vector256.Load(bw + i)).Store(bw + i);
                    Vector256
                        .FusedMultiplyAdd(Vector256.Abs(sign), wv, Vector256.Load(a + i))
                        .Store(a + i);
                }
            }
            // clamp_min(0) / clamp_max(0) as libtorch's max_ps(0, x) / min_ps(0, x): ±0 and NaN pass through.
            var part = positive
                ? Vector256.ConditionalSelect(Vector256.GreaterThan(zero, x), zero, x)
                : Vector256.ConditionalSelect(Vector256.LessThan(zero, x), zero, x);
            Vector256.FusedMultiplyAdd(part, cv, Vector256.Load(p + i)).Store(p + i);
        }
    }

    /// <summary>Sign election (keep the sum of the parts agreeing with the majority), normalize, λ, add the base.</summary>
    static void Finish(
        Job job,
        int padded,
        float* b,
        float* s,
        float* p,
        float* a,
        float* bw,
        float* c
    )
    {
        var zero = Vector256<float>.Zero;
        var one = Vector256<float>.One;
        var half = Vector256.Create(0.5f);
        var scale = Vector256.Create(job.FinalScale);
        bool scaled = job.FinalScale != 1f;
        for (int i = 0; i < padded; i += 8)
        {
            var sum = Vector256.Load(s + i);
            if (job.Consensus)
            {
                var positive = Vector256.Load(p + i);
                var majority = OneWhere(
                    Vector256.GreaterThanOrEqual(job.Count ? Vector256.Load(c + i) : sum, zero)
                );
                var negative = sum - positive;
                var difference = positive - negative;
                sum = negative + majority * difference;
                if (job.Divide)
                {
                    var t = majority * 2f - one;
                    var agreeing = (Vector256.Load(a + i) + t * Vector256.Load(bw + i)) * half;
                    agreeing += OneWhere(Vector256.Equals(agreeing, zero));
                    sum /= agreeing;
                }
            }
            if (scaled)
                sum *= scale;
            (sum + Vector256.Load(b + i)).Store(s + i);
        }
    }
}
