using EvoMerge.Checkpoints.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>The parameters a config implies, read off a <see cref="CausalLanguageModel"/> built on the meta device (no weights).</summary>
public static class ModelShapes
{
    /// <summary>Every parameter's checkpoint name and shape, in the model's order.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)> Of(HfConfig config)
    {
        using var model = new CausalLanguageModel(
            config,
            new Device(DeviceType.META),
            ScalarType.Float32
        );
        return model.named_parameters().Select(p => (p.name, p.parameter.shape)).ToList();
    }
}
