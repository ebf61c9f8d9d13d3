using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using EvoMerge.Cli.Kernel;
using EvoMerge.Tests.Plots;
using EvoMerge.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace EvoMerge.Tests.Kernel;

/// <summary>
/// Every notebook in notebooks/ and every script in scripts/ (except _setup.csx), run the way a
/// user runs them: after the README's Release build, in the real kernel (<c>dotnet-interactive
/// stdio</c>), with their own <c>#r</c>/<c>#load</c> lines, under EVOMERGE_QUICK=1. New files are
/// picked up automatically.
/// </summary>
[Collection(KernelCollection.Name)]
public class RepositoryNotebooksTests(ITestOutputHelper output)
{
    static readonly Dictionary<string, string> Quick = new() { ["EVOMERGE_QUICK"] = "1" };

    // Outputs of each notebook's run, kept for the chart render test.
    static readonly ConcurrentDictionary<string, string> Ran = new();

    public static IEnumerable<object[]> Notebooks() =>
        Files("notebooks", "*.ipynb").Select(f => new object[] { f });

    public static IEnumerable<object[]> Scripts() =>
        Files("scripts", "*.csx")
            .Where(f => !f.EndsWith("_setup.csx", StringComparison.Ordinal))
            .Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Notebooks))]
    public async Task Notebook_runs_every_cell_in_the_kernel(string notebook)
    {
        var result = await Run(notebook);

        output.WriteLine(
            $"{notebook}: {result.CellsRun}/{result.CodeCells} cells ok, {result.Elapsed.TotalSeconds:0} s"
        );
        Assert.True(result.Succeeded, $"{notebook}: {result.Error}");
        Assert.True(result.CodeCells > 0, $"{notebook} has no code cells");
    }

    [Fact]
    public async Task Chart_outputs_render_offline_in_chromium()
    {
        var charts = 0;
        using var folder = new TempFolder();
        foreach (var notebook in Notebooks().Select(n => (string)n[0]))
        {
            var written = JsonNode.Parse(await File.ReadAllTextAsync(await RunFile(notebook)))!;
            var html = written["cells"]!
                .AsArray()
                .SelectMany(c => c!["outputs"]?.AsArray() ?? [])
                .Select(o => o!["data"]?["text/html"])
                .Select(h =>
                    h is JsonArray lines ? string.Concat(lines.Select(l => (string?)l)) : (string?)h
                )
                .Where(h => h is not null && h.Contains("Plotly.newPlot", StringComparison.Ordinal))
                .ToList();
            // A chart output with plotly.js inline is the notebook's first; the page for each chart
            // holds that library output (as the notebook's page does) and the chart alone.
            var library = html.FirstOrDefault(h =>
                h!.Contains("plotly.js v", StringComparison.Ordinal)
            );
            foreach (var chart in html)
            {
                Assert.NotNull(library);
                var page = Path.Combine(
                    folder.Path,
                    $"{Path.GetFileNameWithoutExtension(notebook)}-{charts}.html"
                );
                var body = chart == library ? chart : ScriptOnly(library!) + chart;
                File.WriteAllText(
                    page,
                    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n"
                        + body
                        + "</body></html>"
                );
                var png = Path.ChangeExtension(page, ".png");
                HeadlessChromium.Screenshot(page, png);
                var image = PngImage.Read(png);
                output.WriteLine(
                    $"{notebook} chart {charts}: saturated pixels {image.SaturatedPixels()}, non-white {image.NonWhiteFraction():P1}"
                );
                Assert.True(image.SaturatedPixels() >= 400, $"{notebook}: chart {charts} is blank");
                // Nothing is fetched: no external script, stylesheet or image.
                Assert.DoesNotMatch(
                    @"<(script|link|img)[^>]+(src|href)\s*=\s*[""']?https?:",
                    chart!
                );
                charts++;
            }
        }
        Assert.True(charts >= 10, $"only {charts} chart outputs");
    }

    [Theory]
    [MemberData(nameof(Notebooks))]
    public void Committed_outputs_come_from_the_current_source(string notebook)
    {
        var document = NotebookDocuments.Load(Path.Combine(Fixtures.RepoRoot, notebook));
        var stale = document
            .Elements.Select((c, i) => (c, i))
            .Where(x => NotebookDocuments.IsCode(x.c))
            .Where(x =>
                x.c.ExecutionOrder == 0
                || x.c.Metadata?.TryGetValue(NotebookDocuments.SourceHashKey, out var hash) != true
                || hash?.ToString() != NotebookDocuments.SourceHash(x.c.Contents)
            )
            .Select(x => x.i + 1)
            .ToArray();
        Assert.True(
            stale.Length == 0,
            $"{notebook}: cells {string.Join(", ", stale)} have no outputs or outputs made from another source; run `EVOMERGE_QUICK=1 evomerge notebook run {notebook} --inplace` and commit"
        );
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public async Task Script_runs_in_the_kernel(string script)
    {
        var error = new StringWriter();

        var code = await ScriptRunner.RunAsync(
            Path.Combine(Fixtures.RepoRoot, script),
            [],
            TextWriter.Null,
            error,
            TimeSpan.FromMinutes(10),
            Quick
        );

        Assert.True(code == 0, $"{script} exited {code}:\n{error}");
    }

    static async Task<NotebookRunResult> Run(string notebook)
    {
        var written = Path.Combine(
            Path.GetTempPath(),
            "evomerge-nb-" + Guid.NewGuid().ToString("N")[..8] + ".ipynb"
        );
        var result = await NotebookRunner.RunAsync(
            Path.Combine(Fixtures.RepoRoot, notebook),
            written, // the committed notebook stays as it is
            TextWriter.Null,
            TimeSpan.FromMinutes(10),
            Quick
        );
        if (result.Succeeded)
            Ran[notebook] = written;
        return result;
    }

    static async Task<string> RunFile(string notebook)
    {
        if (!Ran.TryGetValue(notebook, out var file))
        {
            var result = await Run(notebook);
            Assert.True(result.Succeeded, $"{notebook}: {result.Error}");
            file = Ran[notebook];
        }
        return file;
    }

    // The library output's <script> element without its chart (so each page draws one chart).
    static string ScriptOnly(string libraryOutput) =>
        libraryOutput[
            ..(libraryOutput.IndexOf("</script>", StringComparison.Ordinal) + "</script>".Length)
        ];

    static IEnumerable<string> Files(string folder, string pattern) =>
        Directory
            .EnumerateFiles(Path.Combine(Fixtures.RepoRoot, folder), pattern)
            .Select(f => Path.GetRelativePath(Fixtures.RepoRoot, f))
            .Order(StringComparer.Ordinal);
}
