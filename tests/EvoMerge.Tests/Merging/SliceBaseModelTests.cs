using EvoMerge.Cli.Commands;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>mergekit's per-slice base_model: each slice may take its own base (mergekit's ConfigReader: the slice's, else the recipe's).</summary>
public sealed class SliceBaseModelTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-slicebase-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Merge(string name, string yaml)
    {
        var recipe = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(recipe, yaml.Replace("{F}", Family, StringComparison.Ordinal));
        var output = Path.Combine(_dir, name);
        Assert.Equal(0, MergeCommand.Run(recipe, output, "cpu", 0, "5GB", false));
        return output;
    }

    const string Slice =
        "  - sources:\n      - {model: {F}/model_a, layer_range: [R]}\n      - {model: {F}/model_b, layer_range: [R]}\n";

    [Fact]
    public void Each_slice_slerps_from_its_own_base()
    {
        // Slice 0 from model_a (t = 0.3 toward b), slice 1 from model_b (t = 0.3 toward a).
        var perSlice = Merge(
            "per-slice",
            "merge_method: slerp\nparameters: {t: 0.3}\nslices:\n"
                + Slice.Replace("R", "0, 2")
                + "    base_model: {F}/model_a\n"
                + Slice.Replace("R", "2, 4")
                + "    base_model: {F}/model_b\n"
        );
        var fromA = Merge(
            "from-a",
            "merge_method: slerp\nbase_model: {F}/model_a\nparameters: {t: 0.3}\nslices:\n"
                + Slice.Replace("R", "0, 4")
        );
        var fromB = Merge(
            "from-b",
            "merge_method: slerp\nbase_model: {F}/model_b\nparameters: {t: 0.3}\nslices:\n"
                + Slice.Replace("R", "0, 4")
        );
        using var got = EvoMerge.Checkpoints.Safetensors.CheckpointReader.Open(perSlice);
        using var a = EvoMerge.Checkpoints.Safetensors.CheckpointReader.Open(fromA);
        using var b = EvoMerge.Checkpoints.Safetensors.CheckpointReader.Open(fromB);
        foreach (var (layer, want) in new[] { (1, a), (3, b) })
        {
            var name = $"model.layers.{layer}.self_attn.q_proj.weight";
            Assert.Equal(0.0, (got.Load(name) - want.Load(name)).abs().max().item<float>());
        }
        Assert.NotEqual(
            0.0,
            (
                a.Load("model.layers.3.self_attn.q_proj.weight")
                - b.Load("model.layers.3.self_attn.q_proj.weight")
            )
                .abs()
                .max()
                .item<float>()
        );
        // It round-trips through YAML.
        var recipe = RecipeYaml.Load(Path.Combine(_dir, "per-slice.yaml")).Recipe;
        Assert.Equal(recipe, RecipeYaml.Parse(RecipeYaml.Write(recipe)));
    }
}
