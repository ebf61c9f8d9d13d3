using System.Text;
using EvoMerge.Checkpoints.Config;
using EvoMerge.Models;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Models;

public class ModelShapeTests
{
    /// <summary>Built on the meta device (shapes, no weights): every parameter name and shape per architecture.</summary>
    [Theory]
    [MemberData(nameof(Reference.ModelFixtures), MemberType = typeof(Reference))]
    public void Parameter_names_and_shapes_on_the_meta_device(string fixture)
    {
        var config = HfConfig.Load(Reference.ModelDir(fixture));
        using var model = new CausalLanguageModel(
            config,
            new Device(DeviceType.META),
            ScalarType.Float32
        );
        var text = new StringBuilder();
        foreach (var (name, p) in model.named_parameters())
        {
            Assert.Equal(DeviceType.META, p.device_type);
            text.AppendLine($"{name} [{string.Join(", ", p.shape)}]");
        }
        Snapshot.Verify(text.ToString(), fixture);
    }

    [Theory]
    [MemberData(nameof(Reference.ModelFixtures), MemberType = typeof(Reference))]
    public void Parameter_names_are_exactly_the_checkpoint_keys(string fixture)
    {
        var config = HfConfig.Load(Reference.ModelDir(fixture));
        using var model = new CausalLanguageModel(
            config,
            new Device(DeviceType.META),
            ScalarType.Float32
        );
        using var reader = EvoMerge.Checkpoints.Safetensors.CheckpointReader.Open(
            Reference.ModelDir(fixture)
        );
        Assert.Equal(
            reader.Names.Order(StringComparer.Ordinal),
            model.named_parameters().Select(p => p.name).Order(StringComparer.Ordinal)
        );
    }
}
