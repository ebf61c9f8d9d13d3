using System.Text.Json.Nodes;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Commands;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>
/// The 40-layer versions of llama-family's four checkpoints (each model's 4 layers stacked ten
/// times by an evomerge passthrough merge), for mergekit's slice examples that read layers [0, 40),
/// and a model map with the same names as the committed models.yaml pointing at them.
/// </summary>
public sealed class DeepFamily : IDisposable
{
    public static readonly string Examples = Fixtures.Path("merges/mergekit-examples");
    public static readonly string Family = Fixtures.Path("merges/llama-family");
    public readonly string Dir = Directory.CreateTempSubdirectory("evomerge-deep-").FullName;

    public DeepFamily()
    {
        foreach (var role in new[] { "base", "model_a", "model_b", "model_c" })
        {
            var slices = string.Concat(
                Enumerable.Repeat(
                    $"  - sources:\n      - model: {Path.Combine(Family, role)}\n        layer_range: [0, 4]\n",
                    10
                )
            );
            var recipe = Path.Combine(Dir, $"stack-{role}.yaml");
            File.WriteAllText(recipe, "merge_method: passthrough\nslices:\n" + slices);
            Assert.Equal(
                0,
                MergeCommand.Run(recipe, Path.Combine(Dir, role), "cpu", 0, "5GB", false)
            );
        }
        File.WriteAllText(
            MapPath,
            File.ReadAllText(Path.Combine(Examples, "models.yaml"))
                .Replace("../llama-family/", Dir + "/", StringComparison.Ordinal)
        );
    }

    public string MapPath => Path.Combine(Dir, "models.yaml");

    public void Dispose() => Directory.Delete(Dir, recursive: true);
}

/// <summary>
/// mergekit's examples/*.yml and its multimerge docs example, unchanged, through the merge
/// command's handler with a model map (their Hugging Face names → fixture checkpoints).
/// </summary>
public sealed class MergekitExamplesTests(DeepFamily deep) : IClassFixture<DeepFamily>, IDisposable
{
    static readonly string Examples = DeepFamily.Examples;
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-examples-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Each example and the layer count of each folder it writes (stage folders for all-named files).</summary>
    public static TheoryData<string, string, int> Cases() =>
        new()
        {
            { "arcee_fusion.yml", "", 4 },
            { "bio-merge.yml", "", 4 },
            { "gradient-slerp.yml", "", 40 },
            { "linear.yml", "", 4 },
            { "mega.yml", "gradient-slerp", 40 },
            { "mega.yml", "gradient-slerp-ties", 40 },
            { "orcamini-platy-44layer.yml", "", 44 },
            { "ties.yml", "", 4 },
            { "multimerge.yaml", "", 4 },
        };

    /// <summary>Slice recipes read 40 layers: they use the deep map, the others the committed one.</summary>
    string MapFor(string example) =>
        File.ReadAllText(Path.Combine(Examples, example)).Contains("layer_range")
            ? deep.MapPath
            : Path.Combine(Examples, "models.yaml");

    string Merge(string example, string? intermediate = null)
    {
        var output = Path.Combine(_dir, Path.GetFileNameWithoutExtension(example));
        int code = MergeCommand.Run(
            Path.Combine(Examples, example),
            output,
            "cpu",
            0,
            "5GB",
            showProgress: false,
            modelMap: MapFor(example),
            intermediateDir: intermediate
        );
        Assert.Equal(0, code);
        return output;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Runs_unchanged(string example, string stage, int layers)
    {
        var folder = Path.Combine(Merge(example), stage);
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "config.json")))!;
        Assert.Equal(layers, config["num_hidden_layers"]!.GetValue<int>());
        using var reader = CheckpointReader.Open(folder);
        Assert.Contains($"model.layers.{layers - 1}.mlp.down_proj.weight", reader.Names);
        Assert.DoesNotContain($"model.layers.{layers}.mlp.down_proj.weight", reader.Names);
    }

    static torch.Tensor Load(string folder, string tensor)
    {
        using var reader = CheckpointReader.Open(folder);
        return reader.Load(tensor, dtype: torch.ScalarType.Float64);
    }

    [Fact]
    public void Linear_is_the_normalized_weighted_average_in_float16()
    {
        var output = Merge("linear.yml");
        using var scope = torch.NewDisposeScope();
        const string name = "model.layers.1.self_attn.q_proj.weight";
        string F(string role) => Path.Combine(DeepFamily.Family, role);
        // orca (model_a) 1.0, WizardLM (model_c) 0.3, Platypus (model_b) 0.5, normalized by 1.8.
        var expected =
            (
                1.0 * Load(F("model_a"), name)
                + 0.3 * Load(F("model_c"), name)
                + 0.5 * Load(F("model_b"), name)
            ) / 1.8;
        using var reader = CheckpointReader.Open(output);
        Assert.Equal(SafetensorsDtype.F16, reader.Info(name).Dtype);
        double worst = (Load(output, name) - expected).abs().max().item<double>();
        Assert.True(worst < 1e-3, $"max |Δ| = {worst}");
    }

    [Fact]
    public void Frankenmerge_takes_orca_layers_0_to_23_then_platypus_20_to_39()
    {
        var output = Merge("orcamini-platy-44layer.yml");
        using var scope = torch.NewDisposeScope();
        // Output layer 30 is Platypus layer 26 = llama-family model_b layer 26 mod 4 = 2 (in float16).
        var got = Load(output, "model.layers.30.mlp.up_proj.weight");
        var want = Load(
                Path.Combine(DeepFamily.Family, "model_b"),
                "model.layers.2.mlp.up_proj.weight"
            )
            .to(torch.ScalarType.Float16)
            .to(torch.ScalarType.Float64);
        Assert.Equal(0.0, (got - want).abs().max().item<double>());
    }

    [Fact]
    public void Mega_second_stage_reads_the_first_stages_output()
    {
        var output = Merge("mega.yml");
        // The second document alone, its stage name replaced by the folder the first stage wrote.
        var text = File.ReadAllText(Path.Combine(Examples, "mega.yml"));
        var second = text[(text.IndexOf("---\n", StringComparison.Ordinal) + 4)..]
            .Replace(
                "model: gradient-slerp\n",
                $"model: {Path.Combine(output, "gradient-slerp")}\n",
                StringComparison.Ordinal
            );
        var recipe = Path.Combine(_dir, "second.yaml");
        File.WriteAllText(recipe, second);
        var alone = Path.Combine(_dir, "alone");
        Assert.Equal(
            0,
            MergeCommand.Run(recipe, alone, "cpu", 0, "5GB", false, modelMap: deep.MapPath)
        );
        Assert.Equal(
            0.0,
            MergeTestSupport.MaxDifference(
                Path.Combine(alone, "model.safetensors"),
                Path.Combine(output, "gradient-slerp-ties")
            )
        );
    }

    [Fact]
    public void Multimerge_keeps_intermediates_only_where_asked()
    {
        var output = Merge("multimerge.yaml");
        Assert.True(OutputFolder.IsOwnOutput(output));
        // The temporary stage folder beside the output is gone, and nothing else was left there.
        Assert.Equal(
            [Path.GetFileName(output)],
            Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName)
        );
        var kept = Path.Combine(_dir, "stages");
        Directory.Delete(output, recursive: true);
        Merge("multimerge.yaml", kept);
        Assert.True(OutputFolder.IsOwnOutput(Path.Combine(kept, "first-merge")));
        Assert.True(OutputFolder.IsOwnOutput(Path.Combine(kept, "second-merge")));
    }
}
