using EvoMerge.Checkpoints.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// The `evomerge logits` contract: <c>input_ids</c> int64 [B, T] (and optional <c>attention_mask</c>)
/// from a safetensors file in, <c>logits</c> float32 [B, T, V] computed in float32 on CPU out.
/// </summary>
public static class LogitsDump
{
    /// <summary>Loads a model folder in float32 on CPU, computes and writes the logits (atomically); returns their shape.</summary>
    public static long[] Run(string modelDir, string inputPath, string outputPath)
    {
        using var model = CausalLanguageModel.FromPretrained(modelDir, CPU, ScalarType.Float32);
        return Run(model, inputPath, outputPath);
    }

    /// <summary>The same for any causal LM (a loaded model, or a DFS router over several).</summary>
    public static long[] Run(ICausalLanguageModel model, string inputPath, string outputPath)
    {
        using var scope = NewDisposeScope();
        using var reader = CheckpointReader.Open(inputPath);
        var ids = ReadInput(reader, inputPath, "input_ids", required: true)!;
        var mask = ReadInput(reader, inputPath, "attention_mask", required: false);
        if (ids.dim() != 2)
            throw new SafetensorsException(
                inputPath,
                "input_ids",
                $"expected [B, T], got [{string.Join(", ", ids.shape)}]"
            );
        if (mask is not null && !mask.shape.SequenceEqual(ids.shape))
            throw new SafetensorsException(
                inputPath,
                "attention_mask",
                $"shape [{string.Join(", ", mask.shape)}] differs from input_ids [{string.Join(", ", ids.shape)}]"
            );
        long min = ids.min().item<long>(),
            max = ids.max().item<long>();
        if (min < 0 || max >= model.VocabSize)
            throw new SafetensorsException(
                inputPath,
                "input_ids",
                $"ids span [{min}, {max}] but the vocabulary has {model.VocabSize} tokens"
            );
        using var noGrad = no_grad();
        var logits = model.Forward(ids, mask).to_type(ScalarType.Float32).cpu(); // (B, T, V)
        CheckpointWriter.WriteFile(outputPath, [("logits", logits)]);
        return logits.shape;
    }

    static Tensor? ReadInput(CheckpointReader reader, string path, string name, bool required)
    {
        if (!reader.Contains(name))
            return required
                ? throw new SafetensorsException(path, name, "missing (expected int64 [B, T])")
                : null;
        var dtype = reader.Info(name).Dtype;
        if (dtype is not (SafetensorsDtype.I64 or SafetensorsDtype.I32))
            throw new SafetensorsException(path, name, $"expected an integer tensor, got {dtype}");
        return reader.Load(name, dtype: ScalarType.Int64);
    }
}
