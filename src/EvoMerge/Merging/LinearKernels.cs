using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>Linear averaging and passthrough copies, chunked into the scratch buffers (no full-size temporaries).</summary>
public static class LinearKernels
{
    /// <summary>output = Σ wᵢ xᵢ (÷ Σ wᵢ when normalized, as mergekit's linear method).</summary>
    public static void Linear(
        LinearOperation op,
        IReadOnlyList<Tensor> inputs,
        Tensor output,
        MergeScratch scratch
    )
    {
        using var scope = NewDisposeScope();
        var flats = inputs.Select(t => t.view(-1)).ToArray();
        var outFlat = output.view(-1);
        long n = outFlat.numel();
        double scale = op.Normalize ? 1 / op.Weights.Sum() : 1;
        for (long start = 0; start < n; start += scratch.ChunkElements)
        {
            using var chunkScope = NewDisposeScope();
            long len = Math.Min(scratch.ChunkElements, n - start);
            var s = scratch.Chunk(0, len).zero_();
            for (int i = 0; i < flats.Length; i++)
                s.add_(flats[i].narrow(0, start, len), alpha: op.Weights[i]);
            if (scale != 1)
                s.mul_(scale);
            outFlat.narrow(0, start, len).copy_(s);
        }
    }

    /// <summary>output = input (× scale).</summary>
    public static void Passthrough(PassthroughOperation op, Tensor input, Tensor output)
    {
        output.copy_(input);
        if (op.Scale is { } s)
            output.mul_(s);
    }
}
