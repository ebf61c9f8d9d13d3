using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Merging;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>Each malformed recipe gives one RecipeException naming the YAML file and the problem, and leaves no output behind.</summary>
public sealed class MalformedRecipeTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string M(string name) => Path.Combine(Family, name);

    public static TheoryData<string, string, string> Cases() =>
        new()
        {
            {
                "unknown_method",
                $"merge_method: frobnicate\nmodels:\n  - model: {M("model_a")}\n",
                "unknown merge_method 'frobnicate'"
            },
            {
                "ties_without_base",
                $"merge_method: ties\nmodels:\n  - model: {M("model_a")}\n    parameters: {{weight: 1, density: 0.5}}\n",
                "needs a base_model"
            },
            {
                "density_above_one",
                $"merge_method: ties\nbase_model: {M("base")}\nmodels:\n  - model: {M("model_a")}\n    parameters: {{weight: 1, density: 1.5}}\n",
                "density 1.5"
            },
            {
                "density_zero",
                $"merge_method: dare_ties\nbase_model: {M("base")}\nmodels:\n  - model: {M("model_a")}\n    parameters: {{weight: 1, density: 0}}\n",
                "outside (0, 1]"
            },
            {
                "shape_mismatch",
                $"merge_method: linear\nmodels:\n  - model: {M("model_a")}\n    parameters: {{weight: 1}}\n  - model: MISMATCH\n    parameters: {{weight: 1}}\n",
                "tensor 'model.norm.weight' has shape [32]"
            },
            {
                "missing_model_folder",
                $"merge_method: linear\nmodels:\n  - model: {M("model_a")}\n    parameters: {{weight: 1}}\n  - model: no_such_model\n    parameters: {{weight: 1}}\n",
                "model folder 'no_such_model' not found"
            },
            {
                "overlapping_slices",
                $"merge_method: linear\nslices:\n  - sources:\n      - model: {M("model_a")}\n        layer_range: [0, 3]\n        parameters: {{weight: 1}}\n      - model: {M("model_a")}\n        layer_range: [1, 4]\n        parameters: {{weight: 1}}\n",
                "overlapping layer ranges"
            },
            { "bad_yaml", "merge_method: linear\nmodels: [\n  - model: x\n", "invalid YAML" },
            {
                "per_model_parameter_typo",
                $"merge_method: ties\nbase_model: {M("base")}\nmodels:\n  - model: {M("model_a")}\n    parameters: {{weight: 1, densty: 0.5}}\n",
                "unknown parameter 'densty'; did you mean 'density'?"
            },
            {
                "top_level_parameter_typo",
                $"merge_method: linear\nparameters: {{normalise: true}}\nmodels:\n  - model: {M("model_a")}\n    parameters: {{weight: 1}}\n",
                "did you mean 'normalize'?"
            },
            {
                "top_level_key_typo",
                $"merge_metod: linear\nmodels:\n  - model: {M("model_a")}\n    parameters: {{weight: 1}}\n",
                "unknown key 'merge_metod'; did you mean 'merge_method'?"
            },
            {
                "slice_source_key_typo",
                $"merge_method: passthrough\nslices:\n  - sources:\n      - model: {M("model_a")}\n        layer_rnge: [0, 2]\n",
                "did you mean 'layer_range'?"
            },
            {
                "weight_not_a_number",
                $"merge_method: linear\nmodels:\n  - model: {M("model_a")}\n    parameters: {{weight: abc}}\n",
                "must be a number, got 'abc'"
            },
            {
                "missing_weight",
                $"merge_method: task_arithmetic\nbase_model: {M("base")}\nmodels:\n  - model: {M("model_a")}\n",
                "'weight' is required"
            },
            {
                "layer_range_too_long",
                $"merge_method: passthrough\nslices:\n  - sources:\n      - model: {M("model_a")}\n        layer_range: [2, 9]\n",
                "exceeds the 4 layers"
            },
        };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Gives_one_clear_error_and_no_output(string name, string yaml, string problem)
    {
        if (yaml.Contains("MISMATCH"))
            yaml = yaml.Replace("MISMATCH", WriteMismatchedModel());
        var recipePath = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(recipePath, yaml);
        var output = Path.Combine(_dir, "out");
        var error = Assert.Throws<RecipeException>(() =>
            MergeExecutor.Run(RecipeYaml.Load(recipePath), output, MergeOptions.Cpu)
        );
        Assert.Contains(recipePath, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.False(Directory.Exists(output));
        Assert.DoesNotContain(
            Directory.GetDirectories(_dir),
            d => Path.GetFileName(d).StartsWith(".out", StringComparison.Ordinal)
        );
        Assert.Equal(
            2,
            EvoMerge.Cli.Commands.MergeCommand.Run(
                recipePath,
                output,
                "cpu",
                0,
                "5GB",
                showProgress: false
            )
        );
        Assert.False(Directory.Exists(output));
    }

    /// <summary>model_a with a final norm of the wrong width.</summary>
    string WriteMismatchedModel()
    {
        var folder = Path.Combine(_dir, "mismatched");
        if (Directory.Exists(folder))
            return folder;
        using var reader = CheckpointReader.Open(M("model_a"));
        using var scope = torch.NewDisposeScope();
        var tensors = reader
            .Names.Select(n => (n, n == "model.norm.weight" ? torch.ones(32) : reader.Load(n)))
            .ToList();
        CheckpointWriter.WriteFolder(folder, tensors);
        File.Copy(Path.Combine(M("model_a"), "config.json"), Path.Combine(folder, "config.json"));
        return folder;
    }
}
