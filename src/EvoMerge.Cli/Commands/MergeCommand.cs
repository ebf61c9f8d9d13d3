using System.CommandLine;
using System.Globalization;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Options;
using EvoMerge.Common;
using EvoMerge.Merging;
using EvoMerge.Recipes;
using Spectre.Console;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge merge recipe.yaml -o out`: runs a mergekit recipe into a Hugging Face checkpoint.</summary>
internal static class MergeCommand
{
    public static Command Create()
    {
        var recipe = new Argument<string>("recipe") { Description = "mergekit YAML recipe" };
        var output = new Option<string>("--output", "-o")
        {
            Description = "output checkpoint folder",
            Required = true,
        };
        var shard = new Option<string>("--max-shard-size")
        {
            Description = "largest output shard (e.g. 5GB, 500MB)",
            DefaultValueFactory = _ => "5GB",
        };
        var overwrite = new Option<bool>("--overwrite")
        {
            Description =
                "replace an existing output folder (only one this tool wrote, or an empty one)",
        };
        var modelMap = new Option<string?>("--model-map")
        {
            Description =
                "YAML file mapping the recipe's model names (e.g. Hugging Face ids) to local folders, relative to the file",
        };
        var intermediate = new Option<string?>("--intermediate-dir")
        {
            Description =
                "multi-stage recipes: keep the named stages here (default: a temporary folder, deleted after the run)",
        };
        var command = new Command(
            "merge",
            "Merge models with a mergekit YAML recipe (one document, or mergekit-multi stages separated by ---). "
                + $"Methods: {string.Join(", ", MergeMethod.All.Select(m => m.Name))}."
        );
        command.Options.Add(overwrite);
        command.Options.Add(modelMap);
        command.Options.Add(intermediate);
        command.Arguments.Add(recipe);
        command.Options.Add(output);
        // The seed of the random masks (DARE, DELLA): 0, as mergekit's.
        var runtime = RuntimeOptions.AddTo(command, RuntimeOption.Device | RuntimeOption.Seed);
        command.Options.Add(shard);
        command.SetAction(parse =>
            Run(
                parse.GetValue(recipe)!,
                parse.GetValue(output)!,
                runtime.DeviceValue(parse),
                unchecked((long)runtime.SeedValue(parse)),
                parse.GetValue(shard)!,
                showProgress: true,
                overwrite: parse.GetValue(overwrite),
                modelMap: parse.GetValue(modelMap),
                intermediateDir: parse.GetValue(intermediate),
                verbose: parse.GetValue(EvoMergeCli.Verbose)
            )
        );
        return command;
    }

    /// <summary>The command's handler: 0 on success, 2 on a recipe or checkpoint error (one <c>error:</c> line on stderr).</summary>
    /// <param name="device">auto | cpu | cuda | cuda:N (null: auto).</param>
    public static int Run(
        string recipePath,
        string outputDir,
        string? device,
        long seed,
        string maxShardSize,
        bool showProgress,
        bool overwrite = false,
        string? modelMap = null,
        string? intermediateDir = null,
        bool verbose = false
    ) =>
        ExitCodes.Guard(
            Console.Error,
            verbose,
            () =>
                Merge(
                    recipePath,
                    outputDir,
                    device,
                    seed,
                    maxShardSize,
                    showProgress,
                    overwrite,
                    modelMap,
                    intermediateDir
                )
        );

    static int Merge(
        string recipePath,
        string outputDir,
        string? device,
        long seed,
        string maxShardSize,
        bool showProgress,
        bool overwrite,
        string? modelMap,
        string? intermediateDir
    )
    {
        var folders = modelMap is null ? null : ModelMap.Load(modelMap);
        var stages = RecipeYaml.LoadStages(recipePath, folders);
        var temporary = StagedMerge.TemporaryFolder(outputDir);
        var layout = StagedMerge.Layout(stages, outputDir, intermediateDir, temporary);
        StagedMerge.CheckModels(stages);
        if (!stages.IsSingle && stages.Final is null)
            CheckStageParent(outputDir);
        foreach (var output in layout.Where(o => o.Kept))
        {
            var note = CheckOutput(output.Stage, output.Folder, overwrite, stages.Names);
            if (note is not null)
                Console.Error.WriteLine($"note: {note}");
        }
        var options = new MergeOptions(
            RuntimeOptions.Prologue(device),
            seed,
            ParseSize(maxShardSize)
        );
        if (!showProgress)
        {
            StagedMerge.Run(stages, layout, temporary, options);
            return 0;
        }
        AnsiConsole
            .Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RemainingTimeColumn()
            )
            .Start(ctx =>
                StagedMerge.Run(
                    stages,
                    layout,
                    temporary,
                    options,
                    output =>
                    {
                        var task = ctx.AddTask(
                            stages.IsSingle
                                ? "merging"
                                : $"stage {Markup.Escape(StagedMerge.Label(output.Stage))}",
                            maxValue: 1
                        );
                        return new SyncProgress<MergeProgress>(p =>
                        {
                            task.MaxValue = p.Total;
                            task.Value = p.Done;
                        });
                    }
                )
            );
        foreach (var output in layout.Where(o => o.Kept))
            Console.WriteLine($"wrote {output.Folder}");
        return 0;
    }

    /// <summary>Every stage named: the output is a folder of stage folders, so it must not be a file or a checkpoint itself.</summary>
    static void CheckStageParent(string outputDir)
    {
        var full = Path.GetFullPath(outputDir);
        if (File.Exists(full))
            throw new OutputFolderException(full, "exists and is a file, not a folder");
        if (Directory.Exists(full) && OutputFolder.IsOwnOutput(full))
            throw new OutputFolderException(
                full,
                "holds a checkpoint, but every stage of this recipe is named, so each is written to a folder of its name inside the output: choose another output folder"
            );
    }

    /// <summary>
    /// Before anything is read or written: tidies leftovers of killed merges (returns the line that
    /// says so), refuses an output that holds the recipe or a source model, and refuses to replace a
    /// folder this tool did not write (or, without --overwrite, one it did).
    /// </summary>
    public static string? CheckOutput(
        RecipeDocument document,
        string outputDir,
        bool overwrite,
        IReadOnlyList<string>? stageNames = null
    )
    {
        var target = Path.TrimEndingDirectorySeparator(Path.GetFullPath(outputDir));
        bool Inside(string path)
        {
            var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            return full == target
                || full.StartsWith(target + Path.DirectorySeparatorChar, StringComparison.Ordinal);
        }
        if (Inside(document.FilePath))
            throw new OutputFolderException(
                target,
                $"holds the recipe {document.FilePath}; choose another output folder"
            );
        foreach (var model in document.Recipe.ReferencedModels())
            if (stageNames?.Contains(model) != true && Inside(document.ResolveModel(model)))
                throw new OutputFolderException(
                    target,
                    $"holds the source model '{model}'; choose another output folder"
                );
        var note = OutputFolder.RecoverLeftovers(target);
        OutputFolder.EnsureReplaceable(target, overwrite);
        return note;
    }

    /// <summary>Parses "5GB", "500MB", "1.5GiB" or a byte count.</summary>
    public static long ParseSize(string text)
    {
        var t = text.Trim().ToUpperInvariant();
        (string Suffix, double Factor)[] units =
        [
            ("GIB", 1 << 30),
            ("MIB", 1 << 20),
            ("KIB", 1 << 10),
            ("GB", 1e9),
            ("MB", 1e6),
            ("KB", 1e3),
            ("B", 1),
        ];
        foreach (var (suffix, factor) in units)
            if (t.EndsWith(suffix, StringComparison.Ordinal))
                return (long)(
                    double.Parse(t[..^suffix.Length], CultureInfo.InvariantCulture) * factor
                );
        return long.TryParse(t, out var bytes) && bytes > 0
            ? bytes
            : throw new ArgumentException($"--max-shard-size {text}: expected e.g. 5GB or 500MB");
    }
}
