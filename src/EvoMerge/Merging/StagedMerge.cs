using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Common;
using EvoMerge.Recipes;

namespace EvoMerge.Merging;

/// <summary>Where one stage of a multi-stage recipe is written, and whether it stays after the run.</summary>
/// <param name="Stage">The stage.</param>
/// <param name="Folder">Its output checkpoint folder.</param>
/// <param name="Kept">False for an intermediate written to the temporary folder (deleted at the end).</param>
public sealed record StageOutput(RecipeDocument Stage, string Folder, bool Kept);

/// <summary>
/// Runs a multi-stage recipe (mergekit-multi) stage by stage in dependency order; a stage's name,
/// used as a model by a later stage, resolves to the folder the stage was written to. Layout, as
/// mergekit-multi: with one unnamed stage (the final merge), that stage is written to the output and
/// the named ones to the intermediate folder (kept) or, without one, to a temporary folder beside
/// the output that is deleted at the end (its name is a staging name, so a killed run's leftover is
/// tidied by the next one); with every stage named, stage N is written to output/N.
/// Before anything is written: every model that is not a stage must be a folder, and every output
/// folder must be replaceable.
/// </summary>
public static class StagedMerge
{
    /// <summary>The output folder of each stage, in run order; <paramref name="temporary"/> holds unkept intermediates.</summary>
    public static IReadOnlyList<StageOutput> Layout(
        RecipeStages stages,
        string output,
        string? intermediateDirectory,
        string temporary
    )
    {
        var target = Path.GetFullPath(output);
        if (stages.IsSingle)
            return [new StageOutput(stages.Ordered[0], target, true)];
        var file = stages.Ordered[0].FilePath;
        if (stages.Final is null)
        {
            if (intermediateDirectory is not null)
                throw new RecipeException(
                    file,
                    "--intermediate-dir applies only when one stage has no name (the final merge); here every stage is named and is written to <output>/<name>"
                );
            return stages
                .Ordered.Select(s => new StageOutput(s, Path.Combine(target, s.Recipe.Name!), true))
                .ToList();
        }
        var keep = intermediateDirectory is null ? null : Path.GetFullPath(intermediateDirectory);
        return stages
            .Ordered.Select(s =>
                s.Recipe.Name is not { } name ? new StageOutput(s, target, true)
                : keep is not null ? new StageOutput(s, Path.Combine(keep, name), true)
                : new StageOutput(s, Path.Combine(temporary, name), false)
            )
            .ToList();
    }

    /// <summary>
    /// Checks, before any write, that every model a stage reads is an earlier stage or an existing
    /// folder (one line naming the stage and the model, with a did-you-mean among the stage names).
    /// </summary>
    public static void CheckModels(RecipeStages stages)
    {
        var names = stages.Names;
        foreach (var stage in stages.Ordered)
        foreach (var model in stage.Recipe.ReferencedModels())
        {
            if (names.Contains(model) || model is "base" or "union")
                continue;
            if (!Directory.Exists(stage.ResolveModel(model)))
            {
                var label = stages.IsSingle ? "" : $"stage {Label(stage)}: ";
                var hint = stages.IsSingle ? "" : DidYouMean.Hint(model, names);
                throw new RecipeException(
                    stage.FilePath,
                    label
                        + MergeExecutor.MissingModel(stage, model)
                        + (
                            hint.Length > 0 ? $" and it is not a stage of this file{hint}"
                            : names.Count > 0
                                ? $" and it is not a stage of this file (stages: {string.Join(", ", names)})"
                            : ""
                        )
                );
            }
        }
    }

    /// <summary>Runs every stage into its folder (see <see cref="Layout"/>); the temporary folder is deleted at the end, whatever happens.</summary>
    /// <param name="stages">The ordered stages.</param>
    /// <param name="layout">Where each is written (from <see cref="Layout"/>).</param>
    /// <param name="temporary">The temporary folder of unkept intermediates (created and deleted here).</param>
    /// <param name="options">Device, seed, shard size.</param>
    /// <param name="progressFor">Progress sink per stage, or null.</param>
    public static void Run(
        RecipeStages stages,
        IReadOnlyList<StageOutput> layout,
        string temporary,
        MergeOptions options,
        Func<StageOutput, IProgress<MergeProgress>?>? progressFor = null
    )
    {
        bool usesTemporary = layout.Any(o => !o.Kept);
        try
        {
            if (usesTemporary)
                Directory.CreateDirectory(temporary);
            var written = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var output in layout)
            {
                var stage = output.Stage;
                // Earlier stages shadow folders of the same name, as in mergekit-multi.
                var folders = new Dictionary<string, string>(
                    stage.ModelFolders ?? ValueMap<string, string>.Empty,
                    StringComparer.Ordinal
                );
                foreach (var (name, folder) in written)
                    folders[name] = folder;
                var document = stage with { ModelFolders = folders.ToValueMap() };
                var parent = Path.GetDirectoryName(output.Folder);
                if (parent is not null)
                    Directory.CreateDirectory(parent);
                MergeExecutor.Run(document, output.Folder, options, progressFor?.Invoke(output));
                if (stage.Recipe.Name is { } stageName)
                    written[stageName] = output.Folder;
            }
        }
        finally
        {
            if (usesTemporary && Directory.Exists(temporary))
                Directory.Delete(temporary, recursive: true);
        }
    }

    /// <summary>A staging-style temporary folder beside <paramref name="output"/> (tidied by <see cref="OutputFolder.RecoverLeftovers"/> if a run is killed).</summary>
    public static string TemporaryFolder(string output) =>
        OutputFolder.StagingPath(Path.GetFullPath(output));

    /// <summary>"'name'" or "(final)".</summary>
    public static string Label(RecipeDocument stage) =>
        stage.Recipe.Name is { } name ? $"'{name}'" : "(final, unnamed)";
}
