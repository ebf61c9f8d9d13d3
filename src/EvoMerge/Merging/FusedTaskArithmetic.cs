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
/// kernel stays its specification). One pass over memory: the base and every source are read
/// once (bf16 or float32 storage, float32 math), masked (<see cref="CounterMask"/>), sign-elected
/// and summed, and the output is written once. Every operation repeats the torch-op kernel's
/// float32 operation in the same order (libtorch's <c>add_(x, alpha)</c> is a fused
/// multiply-add), so the two paths agree to the bit. Three shapes of the same loop: 16 lanes in
/// registers (AVX-512, <c>FusedTaskArithmetic.Register.cs</c>), 8 lanes in registers, and a
/// per-term pass over L1 tile buffers for ragged tails and merges whose terms differ in mask
/// kind or dtype. Tiles are grouped into blocks run with
/// <see cref="Parallel.For(long, long, ParallelOptions, Action{long})"/> on at most
/// <c>torch.get_num_threads()</c> threads. Which kernel runs is chosen in
/// <see cref="KernelBackends.Choose"/> (DELLA's per-row ranks, CUDA, other dtypes and
/// non-contiguous tensors take the torch-op kernel).
/// </summary>
internal static unsafe partial class FusedTaskArithmetic
{
    const int Tile = 512;
    const int TilesPerBlock = 128;

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
                        // A threshold of 2²⁴ keeps every element (d · 1 = d).
                        Sparsification.Random when CounterMask.Threshold(term.Density) < 1u << 24 =>
                            Mask.Random,
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

    /// <summary><see cref="RoundToBf16(Vector256{float})"/> for 16 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<uint> RoundToBf16(Vector512<float> x)
    {
        var u = x.AsUInt32();
        var rounded = Vector512.ShiftRightLogical(
            u
                + Vector512.Create(0x7FFFu)
                + (Vector512.ShiftRightLogical(u, 16) & Vector512<uint>.One),
            16
        );
        return Vector512.ConditionalSelect(
            Vector512.Equals(x, x).AsUInt32(),
            rounded,
            Vector512.Create(0x7FC0u)
        );
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> OneWhere(Vector256<float> condition) =>
        Vector256.ConditionalSelect(condition, Vector256<float>.One, Vector256<float>.Zero);

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
        if (bf16)
            Dispatch<Bf16>(job, in term, data, at, g, padded, b, s, p, a, bw, c);
        else
            Dispatch<F32>(job, in term, data, at, g, padded, b, s, p, a, bw, c);
    }

    static void Dispatch<TSource>(
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
    {
        switch (term.Mask)
        {
            case Mask.None:
                Accumulate<TSource, NoMask>(job, in term, data, at, g, padded, b, s, p, a, bw, c);
                break;
            case Mask.Random:
                Accumulate<TSource, RandomMask>(
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
            case Mask.Magnitude:
                Accumulate<TSource, MagnitudeMask>(
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
            default:
                Accumulate<TSource, OutlierMask>(
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
