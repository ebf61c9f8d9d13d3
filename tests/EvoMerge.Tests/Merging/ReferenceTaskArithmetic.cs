using EvoMerge.Merging;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Merging;

/// <summary>
/// The straightforward task-arithmetic path, step for step as mergekit writes it (stacked task
/// vectors, argsort-based magnitude masks, get_mask, masked sum, divisor), with random masks from
/// the same counter-based <see cref="CounterMask"/> as the kernels (on the CPU). The kernels must agree with it.
/// </summary>
internal static class ReferenceTaskArithmetic
{
    public static Tensor Run(
        TaskArithmeticOperation op,
        IReadOnlyList<Tensor> inputs,
        long seed,
        string name
    )
    {
        using var scope = NewDisposeScope();
        var shape = inputs[0].shape;
        var b = inputs[0].to_type(ScalarType.Float32).reshape(-1);
        long n = b.numel();
        var deltas = new List<Tensor>();
        var weights = new List<double>();
        for (int i = 0; i < op.Terms.Count; i++)
        {
            var term = op.Terms[i];
            var delta = inputs[i + 1].to_type(ScalarType.Float32).reshape(-1) - b;
            if (op.Sparsification != Sparsification.None && term.Density < 1)
                delta = Sparsify(op, term, delta, shape, seed, name, i);
            deltas.Add(delta);
            weights.Add(term.Weight);
        }
        var stacked = stack(deltas);
        var w = tensor(weights.Select(x => (float)x).ToArray()).unsqueeze(-1);
        var weighted = stacked * w;
        Tensor mixed,
            divisor;
        if (op.Consensus != Consensus.None)
        {
            var sign = weighted.sign();
            var majority =
                op.Consensus == Consensus.Sum
                    ? (weighted.sum(0L) >= 0).to_type(ScalarType.Float32) * 2 - 1
                    : (sign.sum(0L) >= 0).to_type(ScalarType.Float32) * 2 - 1;
            var mask = (sign == majority).to_type(ScalarType.Float32);
            mixed = (weighted * mask).sum(0L);
            divisor = (w * mask).sum(0L);
            divisor = where(divisor == 0, ones_like(divisor), divisor);
        }
        else
        {
            mixed = weighted.sum(0L);
            divisor = w.sum(0L);
            divisor = where(divisor.abs() < 1e-8, ones_like(divisor), divisor);
        }
        if (op.Normalize)
            mixed = mixed / divisor;
        mixed = mixed * op.Lambda;
        return (b + mixed).reshape(shape).MoveToOuterDisposeScope();
    }

    static Tensor Sparsify(
        TaskArithmeticOperation op,
        TaskVectorTerms term,
        Tensor delta,
        long[] shape,
        long seed,
        string name,
        int index
    )
    {
        long n = delta.numel();
        var abs = delta.abs();
        Tensor mask;
        Tensor? probabilities = null;
        switch (op.Sparsification)
        {
            case Sparsification.Magnitude:
            {
                long k = (long)(term.Density * n);
                mask = zeros_like(delta);
                mask[abs.argsort(descending: true)[..(int)k]] = tensor(1f);
                break;
            }
            case Sparsification.MagnitudeOutliers:
            {
                long target = (long)(term.Density * n);
                long top = (long)(term.Gamma * n);
                long bottom = n - target - top;
                if (bottom < 0)
                {
                    top += bottom;
                    bottom = 0;
                }
                mask = zeros_like(delta);
                mask[abs.argsort()[(int)bottom..(int)(n - top)]] = tensor(1f);
                break;
            }
            case Sparsification.Random:
            {
                mask = ones_like(delta);
                new CounterMask(seed, name, index).Apply(mask, 0, term.Density);
                break;
            }
            case Sparsification.Della:
            {
                long rows = shape.Length >= 2 ? shape[0] : 1;
                long cols = n / rows;
                var m2 = abs.view(rows, cols);
                var ranks = m2.argsort(1).argsort(1).to_type(ScalarType.Float32);
                var p =
                    (term.Density - term.Epsilon)
                    + ranks / Math.Max(1, cols - 1) * 2 * term.Epsilon;
                probabilities = p.reshape(-1);
                mask = empty_like(delta);
                new CounterMask(seed, name, index).Fill(mask, probabilities, 0);
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(op));
        }
        var masked = delta * mask;
        if (!op.Rescale)
            return masked;
        if (op.RescaleMode == RescaleMode.L1Norm)
        {
            double before = delta.abs().sum().item<float>();
            double after = masked.abs().sum().item<float>();
            return before < 1e-7 || after < 1e-7 ? masked : masked * (before / after);
        }
        return probabilities is null ? masked / term.Density : masked / probabilities;
    }
}
