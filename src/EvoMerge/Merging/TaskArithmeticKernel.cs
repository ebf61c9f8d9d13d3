using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// The generalized task-arithmetic kernel, streaming: the tensor is walked in chunks, and each
/// chunk makes one pass over the sources, accumulating everything the sign election needs, so no
/// stack of task vectors is ever built. With wᵢ the weighted, sparsified task vectors:
/// <code>
///   S = Σ wᵢ            (sum consensus: majority sign = sign(S))
///   P = Σ max(wᵢ, 0)    (so the agreeing sum is P when the majority is +, S − P when it is −)
///   C = Σ sign(wᵢ)      (count consensus)
///   A = Σ ωᵢ |sign(wᵢ)|, B = Σ ωᵢ sign(wᵢ)   (normalize: agreeing weight = (A ± B) / 2)
/// </code>
/// which equals mergekit's stacked <c>get_mask</c> + masked sum + divisor exactly (up to float
/// rounding). All arithmetic is in place in <see cref="MergeScratch"/> buffers. One generalized
/// task-arithmetic kernel; TIES, DARE, breadcrumbs, DELLA are named presets of it. This torch-op
/// form is the specification and runs on CUDA; on the CPU <see cref="FusedTaskArithmetic"/> is its
/// fast path (the same float32 operations in one pass, bit-identical), and random masks come from
/// <see cref="CounterMask"/> everywhere (its tensor-op form off the CPU).
/// </summary>
public static class TaskArithmeticKernel
{
    const int Sb = 0,
        Pb = 1,
        Ab = 2,
        Bb = 3,
        Cb = 4,
        Db = 5,
        Mb = 6,
        Tb = 7,
        Xb = 8;

    /// <summary>Merges into <paramref name="output"/> (any dtype, contiguous). <paramref name="inputs"/>: base, then one model per term.</summary>
    public static void Run(
        TaskArithmeticOperation op,
        IReadOnlyList<Tensor> inputs,
        Tensor output,
        MergeScratch scratch,
        long seed,
        string tensorName
    )
    {
        using var scope = NewDisposeScope();
        var baseFlat = inputs[0].view(-1);
        var outFlat = output.view(-1);
        var models = inputs.Skip(1).Select(t => t.view(-1)).ToArray();
        long n = baseFlat.numel();
        var plan = Prepare(op, inputs[0].shape, baseFlat, models, scratch, seed, tensorName);
        if (
            KernelBackends.Choose(scratch.Backend, op, inputs, output, scratch)
            == KernelBackend.Fused
        )
        {
            // The CPU fast path: the same operations, fused into one pass over memory.
            FusedTaskArithmetic.Run(
                op,
                inputs,
                output,
                seed,
                tensorName,
                plan.Scale,
                plan.Lower,
                plan.Upper
            );
            return;
        }
        long chunk = plan.ChunkLength;
        bool consensus = op.Consensus != Consensus.None;
        bool divide = op.Normalize && consensus;
        bool count = op.Consensus == Consensus.Count;
        // SCE elects on the unweighted sum; RAM divides by the number of active task vectors.
        bool raw = op.Consensus == Consensus.UnweightedSum;
        bool active = op.Averaging == Averaging.ActiveCount && !consensus;
        double weightSum = plan.Weights.Sum();
        long chunkIndex = 0;
        for (long start = 0; start < n; start += chunk, chunkIndex++)
        {
            using var chunkScope = NewDisposeScope();
            long len = Math.Min(chunk, n - start);
            // The base chunk in the compute dtype once, so every later op is single-dtype (mixed
            // bf16/fp32 element-wise ops take a slow casting path on CPU).
            var b = scratch.Chunk(Xb, len).copy_(baseFlat.narrow(0, start, len));
            var S = scratch.Chunk(Sb, len).zero_();
            // P: positive parts (consensus) or RAM+'s boosted values.
            var P = consensus || plan.Boost is not null ? scratch.Chunk(Pb, len).zero_() : null;
            var A = divide ? scratch.Chunk(Ab, len).zero_() : null;
            var B = divide ? scratch.Chunk(Bb, len).zero_() : null;
            var C = count || raw || active ? scratch.Chunk(Cb, len).zero_() : null;
            var d = scratch.Chunk(Db, len);
            var m = scratch.Chunk(Mb, len);
            var t = scratch.Chunk(Tb, len);
            for (int i = 0; i < models.Length; i++)
            {
                double w = plan.Weights[i];
                if (w == 0 && !raw)
                    continue; // contributes nothing: zero vector, zero sign, zero weight
                var x = models[i].narrow(0, start, len);
                MaskedDelta(op, plan, i, chunkIndex, start, x, b, d, m, t, scratch);
                if (raw)
                    C!.add_(d); // the election counts every task vector, whatever its weight
                if (w == 0)
                    continue;
                double c = w * plan.Scale[i];
                S.add_(d, alpha: c);
                if (active)
                {
                    C!.add_(t.copy_(d).ne_(0));
                    if (plan.Boost is { } boost)
                        P!.add_(d, alpha: boost[i]);
                }
                if (!consensus)
                    continue;
                if (divide || count)
                {
                    // (count and raw never coincide: C holds one or the other)
                    t.copy_(d).sign_();
                    if (c < 0)
                        t.neg_();
                    if (count)
                        C!.add_(t);
                    if (divide)
                    {
                        B!.add_(t, alpha: w);
                        A!.add_(t.abs_(), alpha: w);
                    }
                }
                if (c > 0)
                    d.clamp_min_(0);
                else
                    d.clamp_max_(0);
                P!.add_(d, alpha: c);
            }
            if (consensus)
            {
                m.copy_(count || raw ? C! : S).ge_(0); // 1 where the majority sign is +
                S.sub_(P!); // Σ of negative parts
                P!.sub_(S); // positive minus negative parts
                S.addcmul_(m, P, 1); // the agreeing sum
                if (divide)
                {
                    t.copy_(m).mul_(2).sub_(1);
                    A!.addcmul_(t, B!, 1).mul_(0.5); // agreeing weight
                    if (op.DivisorFloor is { } floor)
                        A!.clamp_min_(floor);
                    else
                    {
                        t.copy_(A!).eq_(0);
                        A.add_(t); // mergekit: a zero divisor becomes 1
                    }
                    S.div_(A!);
                }
                if (op.Lambda != 1)
                    S.mul_(op.Lambda);
            }
            else if (active)
            {
                S.div_(C!.clamp_min_(1));
                if (P is not null)
                {
                    // RAM+: positions touched by one model take its boosted value instead.
                    t.copy_(C).le_(1);
                    P.mul_(t);
                    S.mul_(t.neg_().add_(1)).add_(P);
                }
                if (op.Lambda != 1)
                    S.mul_(op.Lambda);
            }
            else
            {
                double scale = op.Lambda;
                if (op.Normalize)
                    scale /= Math.Abs(weightSum) < 1e-8 ? 1 : weightSum;
                if (scale != 1)
                    S.mul_(scale);
            }
            S.add_(b);
            outFlat.narrow(0, start, len).copy_(S);
        }
    }

    sealed record Prepared(
        long Seed,
        string Name,
        long ChunkLength,
        long Cols,
        double[] Scale,
        double[] Lower,
        double[] Upper
    )
    {
        /// <summary>Each term's weight (the recipe's, or SCE's computed one).</summary>
        public double[] Weights { get; init; } = [];

        /// <summary>SCE: the per-position variance across task vectors (whole tensor) and the selection threshold, or null when nothing is dropped.</summary>
        public Tensor? Variance { get; init; }

        /// <summary>SCE: keep positions whose variance is at least this.</summary>
        public double VarianceThreshold { get; init; }

        /// <summary>RAM+: each term's unique-position factor λᵢ, or null.</summary>
        public double[]? Boost { get; init; }
    }

    /// <summary>Per-term thresholds (magnitude methods) and rescale factors, computed before the streaming pass.</summary>
    static Prepared Prepare(
        TaskArithmeticOperation op,
        long[] shape,
        Tensor b,
        Tensor[] models,
        MergeScratch scratch,
        long seed,
        string name
    )
    {
        long n = b.numel();
        int count = models.Length;
        var scale = Enumerable.Repeat(1.0, count).ToArray();
        var lower = Enumerable.Repeat(double.NegativeInfinity, count).ToArray();
        var upper = Enumerable.Repeat(double.PositiveInfinity, count).ToArray();
        long chunk = Math.Min(n, scratch.ChunkElements);
        long cols = n;
        if (op.Sparsification == Sparsification.Della)
        {
            // DELLA ranks magnitudes within rows (mergekit: dim 1 of a 2-D tensor, 1-D as one row),
            // so chunks hold whole rows.
            long rows = shape.Length >= 2 ? shape[0] : 1;
            cols = n / Math.Max(1, rows);
            long perChunk = Math.Max(1, scratch.ChunkElements / cols);
            chunk = perChunk * cols;
            if (chunk > scratch.ChunkElements)
                throw new InvalidOperationException(
                    $"DELLA row of {cols} elements exceeds the {scratch.ChunkElements}-element chunk"
                );
        }
        var prepared = new Prepared(seed, name, chunk, cols, scale, lower, upper)
        {
            Weights = op.Terms.Select(t => t.Weight).ToArray(),
        };
        if (op.Sparsification == Sparsification.Threshold)
            for (int i = 0; i < count; i++)
                lower[i] = op.Terms[i].Epsilon;
        // Each pre-pass sees the plan so far: the weights and boosts use the selected task vectors.
        if (op.Sparsification == Sparsification.Variance && op.SelectTopK < 1)
        {
            var (variance, threshold) = SelectByVariance(op, b, models, scratch);
            prepared = prepared with { Variance = variance, VarianceThreshold = threshold };
        }
        if (op.Weighting == TermWeighting.MeanSquare)
            prepared = prepared with
            {
                Weights = MeanSquareWeights(op, b, models, scratch, prepared),
            };
        if (op.Boost is { } boost)
            prepared = prepared with
            {
                Boost = UniqueBoosts(op, boost, b, models, scratch, prepared),
            };
        for (int i = 0; i < count; i++)
        {
            var term = op.Terms[i];
            if (term.Weight == 0 || op.Sparsification == Sparsification.None || term.Density >= 1)
                continue;
            if (op.Sparsification is Sparsification.Magnitude or Sparsification.MagnitudeOutliers)
            {
                using var scope = NewDisposeScope();
                var abs = scratch.Full(n);
                for (long start = 0; start < n; start += scratch.ChunkElements)
                {
                    long len = Math.Min(scratch.ChunkElements, n - start);
                    abs.narrow(0, start, len)
                        .copy_(models[i].narrow(0, start, len))
                        .sub_(b.narrow(0, start, len))
                        .abs_();
                }
                long keep = (long)(term.Density * n);
                if (op.Sparsification == Sparsification.Magnitude)
                    lower[i] = MagnitudeThreshold.KthLargest(abs, keep);
                else
                {
                    // mergekit: drop the top gamma·n, then the bottom, keeping density·n.
                    long top = (long)(term.Gamma * n);
                    long bottom = n - keep - top;
                    if (bottom < 0)
                    {
                        top += bottom;
                        bottom = 0;
                    }
                    lower[i] =
                        bottom == 0
                            ? double.NegativeInfinity
                            : MagnitudeThreshold.KthLargest(abs, n - bottom);
                    upper[i] =
                        top == 0
                            ? double.PositiveInfinity
                            : MagnitudeThreshold.KthLargest(abs, top);
                }
            }
            if (!op.Rescale)
                continue;
            if (op.RescaleMode == RescaleMode.InverseKeepProbability)
            {
                // DELLA divides by each element's own probability inside MaskedDelta.
                if (op.Sparsification != Sparsification.Della)
                    scale[i] = 1 / term.Density;
                continue;
            }
            // L1: a dry pass with the same masks measures ‖τ‖₁ and ‖mask·τ‖₁.
            double before = 0,
                after = 0;
            long chunkIndex = 0;
            for (long start = 0; start < n; start += chunk, chunkIndex++)
            {
                using var scope = NewDisposeScope();
                long len = Math.Min(chunk, n - start);
                var d = scratch.Chunk(Db, len);
                var m = scratch.Chunk(Mb, len);
                var t = scratch.Chunk(Tb, len);
                var x = models[i].narrow(0, start, len);
                var bc = b.narrow(0, start, len);
                t.copy_(x).sub_(bc).abs_();
                before += t.sum().to_type(ScalarType.Float64).item<double>();
                MaskedDelta(
                    op with
                    {
                        Rescale = false,
                    },
                    prepared,
                    i,
                    chunkIndex,
                    start,
                    x,
                    bc,
                    d,
                    m,
                    t,
                    scratch
                );
                after += d.abs_().sum().to_type(ScalarType.Float64).item<double>();
            }
            if (before >= 1e-7 && after >= 1e-7)
                scale[i] = before / after;
        }
        return prepared;
    }

    /// <summary>
    /// SCE's selection: the population variance of the task vectors at each position (Welford over
    /// the models in order, accumulated in float64 as torch's CPU var is, so positions where they
    /// all agree are exactly 0 and no others), then keep the top
    /// k = ⌊select_topk · count_nonzero(var)⌋ (a float32 product, as mergekit computes it).
    /// </summary>
    static (Tensor Variance, double Threshold) SelectByVariance(
        TaskArithmeticOperation op,
        Tensor b,
        Tensor[] models,
        MergeScratch scratch
    )
    {
        long n = b.numel();
        var variance = scratch.Full(n);
        long nonzero = 0;
        long chunk = Math.Min(n, scratch.ChunkElements);
        using var mean = torch.empty(chunk, ScalarType.Float64, b.device);
        using var m2 = torch.empty(chunk, ScalarType.Float64, b.device);
        using var x = torch.empty(chunk, ScalarType.Float64, b.device);
        using var delta = torch.empty(chunk, ScalarType.Float64, b.device);
        for (long start = 0; start < n; start += chunk)
        {
            using var scope = NewDisposeScope();
            long len = Math.Min(chunk, n - start);
            var bc = scratch.Chunk(Xb, len).copy_(b.narrow(0, start, len));
            var tv = scratch.Chunk(Db, len);
            var mu = mean.narrow(0, 0, len).zero_();
            var s2 = m2.narrow(0, 0, len).zero_();
            var xi = x.narrow(0, 0, len);
            var di = delta.narrow(0, 0, len);
            for (int i = 0; i < models.Length; i++)
            {
                xi.copy_(tv.copy_(models[i].narrow(0, start, len)).sub_(bc));
                di.copy_(xi).sub_(mu);
                mu.add_(di / (i + 1));
                s2.addcmul_(di, xi.sub_(mu), 1);
            }
            var v = variance.narrow(0, start, len).copy_(s2.div_(models.Length));
            nonzero += v.count_nonzero().item<long>();
        }
        long k = (long)((float)Math.Abs(op.SelectTopK) * (float)nonzero);
        return (variance, MagnitudeThreshold.KthLargest(variance, k));
    }

    /// <summary>SCE's matrix-level weights: mean(τ²) of each selected task vector, normalized over the terms.</summary>
    static double[] MeanSquareWeights(
        TaskArithmeticOperation op,
        Tensor b,
        Tensor[] models,
        MergeScratch scratch,
        Prepared plan
    )
    {
        long n = b.numel();
        var weights = new double[models.Length];
        for (int i = 0; i < models.Length; i++)
        {
            double sum = 0;
            for (long start = 0, chunk = 0; start < n; start += plan.ChunkLength, chunk++)
            {
                using var scope = NewDisposeScope();
                long len = Math.Min(plan.ChunkLength, n - start);
                var d = ChunkDelta(
                    op,
                    plan,
                    i,
                    chunk,
                    start,
                    models,
                    b.narrow(0, start, len),
                    scratch
                );
                sum += d.dot(d).to_type(ScalarType.Float64).item<double>();
            }
            weights[i] = sum / n;
        }
        double total = weights.Sum();
        return total < 1e-6
            ? weights.Select(_ => 1.0 / weights.Length).ToArray()
            : weights.Select(w => w / total).ToArray();
    }

    /// <summary>
    /// RAM+ tensor-local: counts, per model, its active positions that are shared and unique, and
    /// returns λᵢ = 1 + r·clamp(ρᵢ, 0, alpha) with ρᵢ = shared / max(unique, epsilon), in float32
    /// as mergekit's tensors compute it.
    /// </summary>
    static double[] UniqueBoosts(
        TaskArithmeticOperation op,
        UniqueBoost boost,
        Tensor b,
        Tensor[] models,
        MergeScratch scratch,
        Prepared plan
    )
    {
        long n = b.numel();
        var shared = new long[models.Length];
        var unique = new long[models.Length];
        for (long start = 0, chunk = 0; start < n; start += plan.ChunkLength, chunk++)
        {
            using var scope = NewDisposeScope();
            long len = Math.Min(plan.ChunkLength, n - start);
            var bc = scratch.Chunk(Xb, len).copy_(b.narrow(0, start, len));
            var counts = scratch.Chunk(Cb, len).zero_();
            var t = scratch.Chunk(Tb, len);
            for (int i = 0; i < models.Length; i++)
                counts.add_(ChunkDelta(op, plan, i, chunk, start, models, bc, scratch).ne_(0));
            var once = scratch.Chunk(Sb, len).copy_(counts).eq_(1);
            var many = scratch.Chunk(Ab, len).copy_(counts).gt_(1);
            // The masks are recomputed rather than kept: one delta buffer, whatever the model count.
            for (int i = 0; i < models.Length; i++)
            {
                var d = ChunkDelta(op, plan, i, chunk, start, models, bc, scratch).ne_(0);
                unique[i] += t.copy_(d).mul_(once).count_nonzero().item<long>();
                shared[i] += t.copy_(d).mul_(many).count_nonzero().item<long>();
            }
        }
        var result = new double[models.Length];
        float epsilon = (float)boost.Epsilon;
        for (int i = 0; i < models.Length; i++)
        {
            float rho = (float)shared[i] / Math.Max((float)unique[i], epsilon);
            result[i] = 1f + (float)boost.R * Math.Clamp(rho, 0f, (float)boost.Alpha);
        }
        return result;
    }

    /// <summary>
    /// Term <paramref name="term"/>'s masked task vector over one chunk, in the delta buffer, drawn
    /// as the streaming pass draws it (same chunk index and offset), for the pre-passes.
    /// </summary>
    static Tensor ChunkDelta(
        TaskArithmeticOperation op,
        Prepared plan,
        int term,
        long chunkIndex,
        long start,
        Tensor[] models,
        Tensor b,
        MergeScratch scratch
    )
    {
        long len = b.numel();
        var d = scratch.Chunk(Db, len);
        var x = models[term].narrow(0, start, len);
        MaskedDelta(
            op,
            plan,
            term,
            chunkIndex,
            start,
            x,
            b,
            d,
            scratch.Chunk(Mb, len),
            scratch.Chunk(Tb, len),
            scratch
        );
        return d;
    }

    /// <summary>d = mask ⊙ (x − b) for one chunk; DELLA's inverse-probability rescale is applied here.</summary>
    static void MaskedDelta(
        TaskArithmeticOperation op,
        Prepared plan,
        int term,
        long chunkIndex,
        long start,
        Tensor x,
        Tensor b,
        Tensor d,
        Tensor m,
        Tensor t,
        MergeScratch scratch
    )
    {
        d.copy_(x).sub_(b);
        var terms = op.Terms[term];
        switch (op.Sparsification)
        {
            case Sparsification.Threshold:
                // RAM: strictly above epsilon (compared in the compute dtype, as torch does).
                d.mul_(m.copy_(d).abs_().gt_(plan.Lower[term]));
                return;
            case Sparsification.Variance:
                if (plan.Variance is { } variance)
                    d.mul_(
                        m.copy_(variance.narrow(0, start, d.numel())).ge_(plan.VarianceThreshold)
                    );
                return;
        }
        if (op.Sparsification == Sparsification.None || terms.Density >= 1)
            return;
        switch (op.Sparsification)
        {
            case Sparsification.Random:
                if (!scratch.TensorMasks)
                {
                    // The counter-based mask (chunk-independent), as the fused fast path draws it.
                    var mask = new CounterMask(plan.Seed, plan.Name, term);
                    if (d.dtype == ScalarType.Float32)
                        mask.Apply(d, start, terms.Density);
                    else
                    {
                        using var ones = torch.ones(d.numel(), ScalarType.Float32);
                        mask.Apply(ones, start, terms.Density);
                        d.mul_(ones);
                    }
                    break;
                }
                // Any device: the same counter hash as integer tensor ops (bit-identical masks).
                using (
                    var keep = new CounterMask(plan.Seed, plan.Name, term).KeepTensor(
                        start,
                        d.numel(),
                        terms.Density,
                        d.device
                    )
                )
                    d.mul_(m.copy_(keep));
                break;
            case Sparsification.Magnitude:
                m.copy_(d).abs_().ge_(plan.Lower[term]);
                d.mul_(m);
                break;
            case Sparsification.MagnitudeOutliers:
                m.copy_(d).abs_();
                if (!double.IsPositiveInfinity(plan.Upper[term]))
                {
                    t.copy_(m).lt_(plan.Upper[term]);
                    m.ge_(plan.Lower[term]).mul_(t);
                }
                else
                    m.ge_(plan.Lower[term]);
                d.mul_(m);
                break;
            case Sparsification.Della:
            {
                using var scope = NewDisposeScope();
                long rows = d.numel() / plan.Cols;
                var d2 = d.view(rows, plan.Cols);
                var m2 = m.view(rows, plan.Cols);
                var t2 = t.view(rows, plan.Cols);
                // rank 0 = smallest magnitude in the row; probability rises linearly to density + ε.
                var order = d2.abs().argsort(dim: 1);
                var ranks = torch
                    .empty_like(order)
                    .scatter_(
                        1,
                        order,
                        torch.arange(plan.Cols, device: d.device).expand(rows, plan.Cols)
                    );
                double denominator = Math.Max(1, plan.Cols - 1);
                t2.copy_(ranks)
                    .mul_(2 * terms.Epsilon / denominator)
                    .add_(terms.Density - terms.Epsilon);
                if (!scratch.TensorMasks)
                {
                    var mask = new CounterMask(plan.Seed, plan.Name, term);
                    if (m.dtype == ScalarType.Float32)
                        mask.Fill(m, t.to_type(ScalarType.Float32), start);
                    else
                    {
                        var keep = torch.empty(m.numel(), ScalarType.Float32);
                        mask.Fill(keep, t.to_type(ScalarType.Float32), start);
                        m.copy_(keep);
                    }
                }
                else
                    m.copy_(new CounterMask(plan.Seed, plan.Name, term).KeepTensor(start, t));
                d2.mul_(m2);
                if (op.Rescale && op.RescaleMode == RescaleMode.InverseKeepProbability)
                    d2.div_(t2);
                break;
            }
        }
    }
}
