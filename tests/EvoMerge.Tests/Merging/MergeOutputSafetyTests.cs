using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Commands;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>`merge -o DIR` replaces only its own output or an empty folder, and tidies what killed merges left behind.</summary>
public sealed class MergeOutputSafetyTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-out-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Recipe()
    {
        var path = Path.Combine(_dir, "r.yaml");
        File.WriteAllText(
            path,
            $"merge_method: linear\nmodels:\n  - model: {Path.Combine(Family, "model_a")}\n    parameters: {{weight: 1}}\n  - model: {Path.Combine(Family, "model_b")}\n    parameters: {{weight: 1}}\n"
        );
        return path;
    }

    static int Merge(string recipe, string output, bool overwrite = false) =>
        MergeCommand.Run(recipe, output, "cpu", 0, "5GB", showProgress: false, overwrite);

    static string[] Listing(string folder) =>
        Directory
            .EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(folder, p))
            .Order(StringComparer.Ordinal)
            .ToArray();

    [Fact]
    public void Output_that_holds_the_recipe_is_refused_and_nothing_is_deleted()
    {
        var recipe = Recipe();
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "mine");
        var before = Listing(_dir);
        Assert.Equal(2, Merge(recipe, _dir, overwrite: true));
        Assert.Equal(before, Listing(_dir));
    }

    [Fact]
    public void Foreign_non_empty_folder_is_refused_even_with_overwrite()
    {
        var recipe = Recipe();
        var output = Path.Combine(_dir, "out");
        Directory.CreateDirectory(output);
        File.WriteAllText(Path.Combine(output, "notes.txt"), "mine");
        Assert.Equal(2, Merge(recipe, output));
        Assert.Equal(2, Merge(recipe, output, overwrite: true));
        Assert.Equal(["notes.txt"], Listing(output));
        var error = Assert.Throws<OutputFolderException>(() =>
            OutputFolder.EnsureReplaceable(output, overwrite: true)
        );
        Assert.Contains("not a checkpoint written by evomerge", error.Message);
        // The writer refuses too, whoever calls it.
        Assert.Throws<OutputFolderException>(() =>
            new CheckpointWriter(
                output,
                [new TensorSpec("x", SafetensorsDtype.F32, new long[] { 1 })]
            )
        );
        Assert.Equal(["notes.txt"], Listing(output));
    }

    [Fact]
    public void Own_output_is_replaced_only_with_overwrite_and_an_empty_folder_is_used()
    {
        var recipe = Recipe();
        var output = Path.Combine(_dir, "out");
        Directory.CreateDirectory(output);
        Assert.Equal(0, Merge(recipe, output));
        Assert.True(OutputFolder.IsOwnOutput(output));
        Assert.Contains(OutputFolder.MarkerFileName, Listing(output));
        using (var reader = CheckpointReader.Open(output))
            Assert.NotEmpty(reader.Names);
        Assert.Equal(2, Merge(recipe, output));
        Assert.Equal(0, Merge(recipe, output, overwrite: true));
        Assert.True(OutputFolder.IsOwnOutput(output));
        Assert.DoesNotContain(
            Directory.GetDirectories(_dir),
            d => Path.GetFileName(d).StartsWith(".out", StringComparison.Ordinal)
        );
    }

    [Fact]
    public void Stale_temp_folders_are_removed_and_a_backup_is_restored_with_one_line()
    {
        var recipe = Recipe();
        var output = Path.Combine(_dir, "out");
        Assert.Equal(0, Merge(recipe, output));
        // A kill between the two renames: the checkpoint exists only as the backup.
        var backup = Path.Combine(_dir, $".out.tmp-999999-{Guid.NewGuid():N}.old");
        Directory.Move(output, backup);
        var stale = Path.Combine(_dir, $".out.tmp-999998-{Guid.NewGuid():N}");
        Directory.CreateDirectory(stale);
        File.WriteAllBytes(Path.Combine(stale, "model.safetensors"), new byte[1000]);
        // A staging folder of a live process (this one) and a look-alike are left alone.
        var live = Path.Combine(_dir, $".out.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(live);
        var unrelated = Path.Combine(_dir, ".out.tmp-notes");
        Directory.CreateDirectory(unrelated);

        var note = OutputFolder.RecoverLeftovers(output);

        Assert.NotNull(note);
        Assert.DoesNotContain('\n', note);
        Assert.Contains("restored", note);
        Assert.Contains("removed 1 leftover temp folder(s)", note);
        Assert.True(OutputFolder.IsOwnOutput(output));
        Assert.False(Directory.Exists(backup));
        Assert.False(Directory.Exists(stale));
        Assert.True(Directory.Exists(live));
        Assert.True(Directory.Exists(unrelated));
        Assert.Null(OutputFolder.RecoverLeftovers(output));
        Directory.Delete(live);
        Assert.Equal(0, Merge(recipe, output, overwrite: true));
    }

    [Fact]
    public void A_backup_is_dropped_when_the_new_checkpoint_is_in_place()
    {
        var recipe = Recipe();
        var output = Path.Combine(_dir, "out");
        Assert.Equal(0, Merge(recipe, output));
        var backup = Path.Combine(_dir, $".out.tmp-999999-{Guid.NewGuid():N}.old");
        Directory.CreateDirectory(backup);
        var note = OutputFolder.RecoverLeftovers(output);
        Assert.Contains("removed 1 leftover", note);
        Assert.False(Directory.Exists(backup));
        Assert.True(OutputFolder.IsOwnOutput(output));
    }
}
