using System.Text.Json.Nodes;
using EvoMerge.Cli.Scripting;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Scripting;

[Collection(ScriptingCollection.Name)]
public class NotebookExecutorTests
{
    static string Sample =>
        Path.Combine(
            Fixtures.RepoRoot,
            "tests",
            "EvoMerge.Tests",
            "Scripting",
            "Notebooks",
            "sample.ipynb"
        );

    [Fact]
    public async Task Sample_notebook_records_every_kind_of_output()
    {
        using var folder = new TempFolder();
        var output = Path.Combine(folder.Path, "out.ipynb");
        var before = File.ReadAllText(Sample);

        var result = await NotebookExecutor.RunAsync(Sample, output, TextWriter.Null);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal(7, result.CellsRun);
        Assert.Equal(before, File.ReadAllText(Sample)); // -o leaves the input alone
        var cells = NotebookJson.Load(output)["cells"]!.AsArray();

        Assert.Null(cells[0]!["outputs"]); // markdown untouched
        Assert.Equal(1, (int)cells[1]!["execution_count"]!);
        Assert.Empty(cells[1]!["outputs"]!.AsArray()); // declarations only

        var printed = Single(cells[2], "stream");
        Assert.Equal("stdout", (string?)printed["name"]);
        Assert.Equal("hello from cell 3\nsum = 15\n", Text(printed["text"]));

        var displays = cells[3]!["outputs"]!.AsArray();
        Assert.Equal(2, displays.Count);
        Assert.Equal("shown with display", Text(displays[0]!["data"]!["text/plain"]));
        Assert.Contains("0 2  4", Text(displays[1]!["data"]!["text/plain"])); // the tensor's values

        var trailing = Single(cells[4], "execute_result");
        Assert.Equal(4, (int)trailing["execution_count"]!);
        Assert.Equal("7", Text(trailing["data"]!["text/plain"]));

        var table = Text(Single(cells[5], "execute_result")["data"]!["text/html"]);
        Assert.Contains("<th>Item1</th><th>Item2</th>", table);
        Assert.Contains("<tr><td>b</td><td>2.25</td></tr>", table);

        var chart = Text(Single(cells[6], "display_data")["data"]!["text/html"]);
        Assert.Contains("plotly.js v", chart); // library inlined with the first chart
        Assert.Contains("newPlot(\"evomerge-cell7-chart1\"", chart);
        Assert.DoesNotContain("<script src=", chart); // nothing fetched when opened offline

        // A value computed from cell 2's state.
        Assert.Equal("15", Text(Single(cells[7], "execute_result")["data"]!["text/plain"]));
    }

    [Fact]
    public async Task Running_twice_writes_identical_files()
    {
        using var folder = new TempFolder();
        var notebook = folder.Write(
            "n.ipynb",
            Notebook(
                """#r "nuget: Plotly.NET.CSharp, 0.14.0"\n#r "EvoMerge.Plots.dll"\nusing EvoMerge.Plots;""",
                """Console.WriteLine("σ − unicode stays");\nFitnessChart.Create(new[] { new FitnessPoint(0, 1, 0.5, 0.1), new FitnessPoint(1, 2, 1, 0.2) })"""
            )
        );
        var first = Path.Combine(folder.Path, "first.ipynb");
        var second = Path.Combine(folder.Path, "second.ipynb");

        Assert.True((await NotebookExecutor.RunAsync(notebook, first, TextWriter.Null)).Succeeded);
        Assert.True((await NotebookExecutor.RunAsync(notebook, second, TextWriter.Null)).Succeeded);

        var text = File.ReadAllText(first);
        Assert.Equal(text, File.ReadAllText(second));
        Assert.Contains("\"σ − unicode stays\\n\"", text); // not \u-escaped
        Assert.StartsWith("{\n \"cells\": [\n  {\n", text); // Jupyter's one-space indent
        Assert.Empty(Directory.GetFiles(folder.Path, "*.tmp-*"));
    }

    [Fact]
    public async Task Failing_cell_stops_the_run_with_its_number_and_keeps_what_ran()
    {
        using var folder = new TempFolder();
        var notebook = folder.Write(
            "fail.ipynb",
            Notebook(
                """Console.WriteLine("first");""",
                """throw new InvalidOperationException("no merge today");""",
                """Console.WriteLine("never");"""
            )
        );
        var output = Path.Combine(folder.Path, "out.ipynb");

        var result = await NotebookExecutor.RunAsync(notebook, output, TextWriter.Null);

        Assert.False(result.Succeeded);
        Assert.Equal(3, result.FailedCell); // positions count the markdown cell too
        Assert.StartsWith("cell 3: System.InvalidOperationException: no merge today", result.Error);
        var cells = NotebookJson.Load(output)["cells"]!.AsArray();
        Assert.Equal("first\n", Text(Single(cells[1], "stream")["text"]));
        var error = Single(cells[2], "error");
        Assert.Equal("InvalidOperationException", (string?)error["ename"]);
        Assert.Null(cells[3]!["execution_count"]);
        Assert.Empty(cells[3]!["outputs"]!.AsArray());
    }

    [Fact]
    public async Task Compilation_error_names_the_cell_and_line()
    {
        using var folder = new TempFolder();
        var notebook = folder.Write(
            "bad.ipynb",
            Notebook("var ok = 1;", "var a = 1;\nvar b = a +* 2;")
        );

        var result = await NotebookExecutor.RunAsync(notebook, null, TextWriter.Null);

        Assert.Equal(3, result.FailedCell);
        Assert.Matches(@"^cell 3: .*bad\.ipynb#cell3:2:\d+: error CS\d{4}: ", result.Error);
    }

    [Fact]
    public async Task Other_kernels_are_a_clear_error()
    {
        using var folder = new TempFolder();
        var notebook = folder.Write(
            "fs.ipynb",
            Notebook("#!csharp\nvar a = 1;", "#!fsharp\nlet a = 1")
        );

        var result = await NotebookExecutor.RunAsync(notebook, null, TextWriter.Null);

        Assert.Equal(3, result.FailedCell);
        Assert.Equal(
            "cell 3: '#!fsharp' cells are not supported: this executor runs C# cells only",
            result.Error
        );
    }

    [Fact]
    public void Not_a_notebook_names_the_file()
    {
        using var folder = new TempFolder();
        var path = folder.Write("x.ipynb", "{\"cells\": 3}");
        var error = Assert.Throws<InvalidDataException>(() => NotebookJson.Load(path));
        Assert.Contains("x.ipynb", error.Message);
    }

    static JsonObject Single(JsonNode? cell, string outputType)
    {
        var outputs = cell!["outputs"]!.AsArray();
        var output = Assert.Single(outputs);
        Assert.Equal(outputType, (string?)output!["output_type"]);
        return output.AsObject();
    }

    static string Text(JsonNode? lines) => NotebookJson.Source(lines);

    /// <summary>A notebook with a markdown cell followed by C# code cells.</summary>
    static string Notebook(params string[] codeCells)
    {
        var cells = new JsonArray
        {
            new JsonObject
            {
                ["cell_type"] = "markdown",
                ["metadata"] = new JsonObject(),
                ["source"] = NotebookJson.Lines("# test"),
            },
        };
        foreach (var code in codeCells)
            cells.Add(
                new JsonObject
                {
                    ["cell_type"] = "code",
                    ["execution_count"] = null,
                    ["metadata"] = new JsonObject(),
                    ["outputs"] = new JsonArray(),
                    ["source"] = NotebookJson.Lines(code.Replace("\\n", "\n")),
                }
            );
        return NotebookJson.Serialize(
            new JsonObject
            {
                ["cells"] = cells,
                ["metadata"] = new JsonObject(),
                ["nbformat"] = 4,
                ["nbformat_minor"] = 5,
            }
        );
    }
}
