using EvoMerge.Cli.Commands;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>Multi-stage recipes on disk: a failing later stage leaves no output and no temporary folder; stage names shadow folders.</summary>
public sealed class MultiStageMergeTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-stages-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Recipe(string finalDensity)
    {
        var path = Path.Combine(_dir, "multi.yaml");
        File.WriteAllText(
            path,
            $"""
            name: model_a
            merge_method: linear
            models:
              - model: {Family}/model_b
                parameters: {"{weight: 1}"}
              - model: {Family}/model_c
                parameters: {"{weight: 1}"}
            ---
            merge_method: ties
            base_model: {Family}/base
            models:
              - model: model_a
                parameters: {"{weight: 1, density: " + finalDensity + "}"}
              - model: {Family}/model_c
                parameters: {"{weight: 1, density: 0.5}"}
            """
        );
        return path;
    }

    [Fact]
    public void A_failing_final_stage_writes_nothing_and_removes_the_intermediates()
    {
        var output = Path.Combine(_dir, "out");
        Assert.Equal(2, MergeCommand.Run(Recipe("2"), output, "cpu", 0, "5GB", false));
        Assert.Equal(["multi.yaml"], Directory.GetFileSystemEntries(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public void A_stage_name_shadows_a_folder_of_the_same_name()
    {
        // "model_a" beside the recipe would be a folder; here it is the first stage's output.
        Directory.CreateDirectory(Path.Combine(_dir, "model_a"));
        var output = Path.Combine(_dir, "out");
        var kept = Path.Combine(_dir, "kept");
        Assert.Equal(
            0,
            MergeCommand.Run(Recipe("0.5"), output, "cpu", 0, "5GB", false, intermediateDir: kept)
        );
        // Reading the stage (linear of model_b and model_c) instead of the empty folder is what made this work.
        Assert.True(File.Exists(Path.Combine(kept, "model_a", "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")));
    }
}
