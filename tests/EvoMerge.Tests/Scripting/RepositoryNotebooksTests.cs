using EvoMerge.Cli.Scripting;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Scripting;

/// <summary>
/// Every notebook in notebooks/ and every script in scripts/ (except _setup.csx) runs, in process,
/// through the same executor and runner as the CLI, with EVOMERGE_QUICK=1 so budgets are small.
/// New files are picked up automatically.
/// </summary>
[Collection(ScriptingCollection.Name)]
public class RepositoryNotebooksTests
{
    public static IEnumerable<object[]> Notebooks() =>
        Files("notebooks", "*.ipynb").Select(f => new object[] { f });

    public static IEnumerable<object[]> Scripts() =>
        Files("scripts", "*.csx")
            .Where(f => !f.EndsWith("_setup.csx", StringComparison.Ordinal))
            .Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs(string notebook)
    {
        using var folder = new TempFolder();
        using var quick = new QuickMode();
        var log = new StringWriter();

        var result = await NotebookExecutor.RunAsync(
            Path.Combine(Fixtures.RepoRoot, notebook),
            Path.Combine(folder.Path, "out.ipynb"), // the committed notebook stays as it is
            log
        );

        Assert.True(result.Succeeded, $"{notebook}: {result.Error}\n{log}");
        Assert.True(result.CellsRun > 0, $"{notebook} has no code cells");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Notebook_is_committed_with_outputs(string notebook)
    {
        var cells = NotebookJson.Load(Path.Combine(Fixtures.RepoRoot, notebook))[
            "cells"
        ]!.AsArray();
        var unrun = cells
            .Select((c, i) => (c, i))
            .Where(x => (string?)x.c!["cell_type"] == "code")
            .Where(x => NotebookJson.Source(x.c!["source"]).Trim().Length > 0)
            .Where(x => x.c!["execution_count"] is null)
            .Select(x => x.i + 1)
            .ToArray();
        Assert.True(
            unrun.Length == 0,
            $"{notebook}: cells {string.Join(", ", unrun)} have no outputs; run `evomerge notebook run {notebook} --inplace` and commit"
        );
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_runs(string script)
    {
        using var quick = new QuickMode();
        var error = new StringWriter();

        var code = await ScriptRunner.RunAsync(Path.Combine(Fixtures.RepoRoot, script), [], error);

        Assert.True(code == 0, $"{script} exited {code}:\n{error}");
    }

    static IEnumerable<string> Files(string folder, string pattern) =>
        Directory
            .EnumerateFiles(Path.Combine(Fixtures.RepoRoot, folder), pattern)
            .Select(f => Path.GetRelativePath(Fixtures.RepoRoot, f))
            .Order(StringComparer.Ordinal);

    /// <summary>Sets EVOMERGE_QUICK=1 for the duration of a run (the collection runs alone, so this is safe).</summary>
    sealed class QuickMode : IDisposable
    {
        readonly string? _previous = Environment.GetEnvironmentVariable("EVOMERGE_QUICK");

        public QuickMode() => Environment.SetEnvironmentVariable("EVOMERGE_QUICK", "1");

        public void Dispose() => Environment.SetEnvironmentVariable("EVOMERGE_QUICK", _previous);
    }
}
