using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// Model Stock (https://arxiv.org/abs/2403.19522) as mergekit computes it: θ is the mean pairwise
/// angle between the models' offsets from the base (per row when <c>filter_wise</c>), then
/// t = N cosθ / (1 + (N − 1) cosθ) and w = t·mean(models) + (1 − t)·base. Float32 with temporaries.
/// </summary>
public static class ModelStockKernel
{
    /// <summary>Merges; <paramref name="inputs"/>: base, then at least two models.</summary>
    public static void Run(ModelStockOperation op, IReadOnlyList<Tensor> inputs, Tensor output)
    {
        using var scope = NewDisposeScope();
        var shape = inputs[0].shape;
        Tensor Prep(Tensor x)
        {
            var f = x.to_type(ScalarType.Float32);
            if (!op.FilterWise)
                return f.reshape(-1);
            return f.dim() == 1 ? f.unsqueeze(0) : f;
        }
        var w0 = Prep(inputs[0]);
        var ws = inputs.Skip(1).Select(Prep).ToList();
        var offsets = ws.Select(w => w - w0).ToList();
        var cosines = new List<Tensor>();
        for (int i = 0; i < offsets.Count; i++)
        for (int j = i + 1; j < offsets.Count; j++)
        {
            var norms = offsets[i].norm(-1) * offsets[j].norm(-1);
            cosines.Add(((offsets[i] * offsets[j]).sum(-1) / norms.clamp_min(1e-6)).clamp(-1, 1));
        }
        var cos = stack(cosines).mean([0]).unsqueeze(-1);
        int count = ws.Count;
        var t = count * cos / (1 + (count - 1) * cos);
        var average = ws.Aggregate((a, b) => a + b) / count;
        var merged = t * average + (1 - t) * w0;
        output.copy_(merged.reshape(shape));
    }
}
