using EvoMerge.Checkpoints.Safetensors;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// Copies a checkpoint's tensors into a model's parameters by name (the names are equal by
/// construction): one tensor in memory at a time, converted to the compute dtype on the way.
/// </summary>
internal static class WeightLoader
{
    public static void Load(CausalLanguageModel target, string folder)
    {
        using var reader = CheckpointReader.Open(folder);
        using var noGrad = no_grad();
        var parameters = target
            .named_parameters()
            .ToDictionary(p => p.name, p => p.parameter, StringComparer.Ordinal);
        foreach (var name in reader.Names)
        {
            if (parameters.ContainsKey(name) || Ignorable(name, target))
                continue;
            throw new SafetensorsException(
                reader.FileOf(name).Path,
                name,
                "not a parameter of this "
                    + target.Config.ModelType
                    + " model (wrong config.json or architecture?)"
            );
        }
        foreach (var (name, parameter) in parameters)
        {
            if (!reader.Contains(name))
                throw new SafetensorsException(
                    reader.Path,
                    name,
                    "missing from the checkpoint (config.json implies it)"
                );
            var info = reader.Info(name);
            if (!info.Shape.SequenceEqual(parameter.shape))
                throw new SafetensorsException(
                    reader.FileOf(name).Path,
                    name,
                    $"shape [{string.Join(", ", info.Shape)}] but config.json implies [{string.Join(", ", parameter.shape)}]"
                );
            if (parameter.device_type == DeviceType.META)
                continue;
            if (
                parameter.device_type == DeviceType.CPU
                && parameter.dtype == info.Dtype.ToScalarType()
                && parameter.is_contiguous()
            )
            {
                reader.FileOf(name).CopyInto(info, parameter); // no intermediate tensor
                continue;
            }
            using var scope = NewDisposeScope();
            parameter.copy_(reader.Load(name));
        }
    }

    /// <summary>A tied lm_head saved anyway, and rotary buffers some old checkpoints carry.</summary>
    static bool Ignorable(string name, CausalLanguageModel target) =>
        (name == "lm_head.weight" && target.Config.TieWordEmbeddings)
        || name.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal);
}
