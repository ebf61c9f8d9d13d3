using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Models;
using TorchSharp;

namespace EvoMerge.Cli.Commands;

/// <summary>The logits file contract shared by `logits` and `route-logits`: read `input_ids` (int64 [B,T])
/// and optional `attention_mask`, write float32 `logits` [B,T,V].</summary>
internal static class LogitsFiles
{
    public static void Compute(ICausalLanguageModel model, string input, string output)
    {
        using var scope = torch.NewDisposeScope();
        using var reader = CheckpointReader.Open(input);
        var ids = reader.Load("input_ids", dtype: torch.ScalarType.Int64);
        var mask = reader.Contains("attention_mask")
            ? reader.Load("attention_mask", dtype: torch.ScalarType.Int64)
            : null;
        var logits = model.Forward(ids, mask).to_type(torch.ScalarType.Float32).cpu();
        CheckpointWriter.WriteFile(output, [("logits", logits)]);
    }
}
