using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// The many-model members of the SLERP family, as mergekit computes them: multislerp (one tangent
/// step at the weighted mean direction) and the Karcher mean (iterated to convergence). Both treat
/// a tensor as one flat vector and work in float32 on whole tensors, in mergekit's order of
/// operations (the fixtures agree to rounding).
/// </summary>
public static partial class SlerpKernels
{
    /// <summary>mergekit's multislerp. Inputs: the models, then the base when <see cref="MultiSlerpOperation.HasBase"/>.</summary>
    public static void MultiSlerp(
        MultiSlerpOperation op,
        IReadOnlyList<Tensor> inputs,
        Tensor output,
        string tensorName
    )
    {
        using var scope = NewDisposeScope();
        int count = op.Weights.Count;
        if (count == 1)
        {
            output.copy_(inputs[0]);
            return;
        }
        var stacked = stack(inputs.Take(count).Select(t => t.to_type(ScalarType.Float32)));
        Tensor? baseT = op.HasBase ? inputs[count].to_type(ScalarType.Float32) : null;
        if (baseT is not null)
            stacked.sub_(baseT);
        var flat = stacked.view(count, -1);
        var weights = tensor(op.Weights.Select(w => (float)w).ToArray());
        if (op.NormalizeWeights)
            weights = weights / weights.sum();
        var norms = flat.norm(-1, keepdim: true);
        var units = flat / (norms + op.Eps);
        var mean = (units * weights.view(-1, 1)).sum(0L, keepdim: false);
        var meanNorm = mean.norm();
        Tensor result;
        if (meanNorm.item<float>() < op.Eps)
        {
            if (count != 2)
                throw new InvalidOperationException(
                    $"multislerp: the weighted directions of '{tensorName}' cancel out (antipodal models with balancing weights); change the weights"
                );
            result = stacked[0] * weights[0] + stacked[1] * weights[1];
        }
        else
        {
            mean = mean / meanNorm;
            var dots = (units * mean).sum(-1, keepdim: true);
            var tangents = units - dots * mean;
            var tangent = (tangents * weights.view(-1, 1)).sum(0L, keepdim: false);
            var tangentNorm = tangent.norm() + op.Eps;
            result = mean * tangentNorm.cos() + tangent * (tangentNorm.sin() / tangentNorm);
            result = result * (norms.squeeze(-1) * weights).sum();
        }
        result = result.view(output.shape);
        if (baseT is not null)
            result = result + baseT;
        output.copy_(result);
    }

    /// <summary>
    /// The Karcher mean on the unit sphere with equal weights, scaled by the mean norm (mergekit's
    /// karcher): norms as doubles, the iterate renormalized after each step, stopping before an
    /// update whose tangent norm is under <c>tol</c>.
    /// </summary>
    public static void Karcher(KarcherOperation op, IReadOnlyList<Tensor> inputs, Tensor output)
    {
        using var scope = NewDisposeScope();
        int count = inputs.Count;
        if (count == 1)
        {
            output.copy_(inputs[0]);
            return;
        }
        double alpha = 1.0 / count;
        var norms = new double[count];
        var units = new Tensor[count];
        for (int i = 0; i < count; i++)
        {
            var x = inputs[i].to_type(ScalarType.Float32).reshape(-1);
            var norm = linalg.norm(x);
            norms[i] = norm.item<float>();
            units[i] = norms[i] == 0 ? zeros_like(x) : x / norm;
        }
        var valid = Enumerable.Range(0, count).Where(i => norms[i] > op.Tol).ToList();
        if (valid.Count == 0)
        {
            output.zero_();
            return;
        }
        double alphaSum = valid.Count * alpha;
        var weights = valid.Select(_ => alpha / alphaSum).ToArray();
        var mean = zeros_like(units[valid[0]]);
        for (int j = 0; j < valid.Count; j++)
            mean.add_(units[valid[j]] * weights[j]);
        double meanNorm = linalg.norm(mean).item<float>();
        mean = meanNorm < op.Tol ? units[valid[0]].clone() : mean / meanNorm;
        for (int iteration = 0; iteration < op.MaxIter; iteration++)
        {
            using var step = NewDisposeScope();
            var tangent = zeros_like(mean);
            for (int j = 0; j < valid.Count; j++)
            {
                var unit = units[valid[j]];
                var dot = mean.dot(unit).clamp(-1.0, 1.0);
                var theta = dot.arccos();
                if (theta.item<float>() < op.Tol)
                    continue;
                var factor = (theta / theta.sin()) * weights[j];
                tangent.add_(factor * (unit - dot * mean));
            }
            var tangentNorm = linalg.norm(tangent);
            if (tangentNorm.item<float>() < op.Tol)
                break;
            var next = tangentNorm.cos() * mean + tangentNorm.sin() * (tangent / tangentNorm);
            var unitNorm = linalg.norm(next);
            if (unitNorm.item<float>() > op.Tol)
                next = next / unitNorm;
            var previous = mean;
            mean = next.MoveToOuterDisposeScope();
            previous.Dispose(); // keep one iterate alive, not max_iter of them
        }
        double scale = 0;
        for (int i = 0; i < count; i++)
            scale += alpha * norms[i];
        output.copy_((mean * scale).view(output.shape));
    }
}
