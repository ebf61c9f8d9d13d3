using System.Diagnostics;
using System.Text.Json.Nodes;
using EvoMerge.Cli.Kernel;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Kernel;

[Collection(KernelCollection.Name)]
public class NotebookRunnerTests
{
    static string Notebook(params (string Type, string Source)[] cells)
    {
        var array = new JsonArray();
        foreach (var (type, source) in cells)
        {
            var cell = new JsonObject
            {
                ["cell_type"] = type,
                ["metadata"] =
                    type == "code"
                        ? new JsonObject
                        {
                            ["polyglot_notebook"] = new JsonObject { ["kernelName"] = "csharp" },
                        }
                        : new JsonObject(),
                ["source"] = source,
            };
            if (type == "code")
            {
                cell["execution_count"] = null;
                cell["outputs"] = new JsonArray();
            }
            array.Add(cell);
        }
        return new JsonObject
        {
            ["cells"] = array,
            ["metadata"] = new JsonObject
            {
                ["kernelspec"] = new JsonObject
                {
                    ["display_name"] = ".NET (C#)",
                    ["language"] = "C#",
                    ["name"] = ".net-csharp",
                },
                ["polyglot_notebook"] = new JsonObject
                {
                    ["kernelInfo"] = new JsonObject
                    {
                        ["defaultKernelName"] = "csharp",
                        ["items"] = new JsonArray(
                            new JsonObject { ["aliases"] = new JsonArray(), ["name"] = "csharp" }
                        ),
                    },
                },
            },
            ["nbformat"] = 4,
            ["nbformat_minor"] = 5,
        }.ToJsonString();
    }

    static readonly (string, string)[] Cells =
    [
        ("markdown", "# A notebook"),
        ("code", "var n = 6;\nConsole.WriteLine($\"n is {n}\");"),
        (
            "code",
            "public record Row(string Name, int Value);\nnew[] { new Row(\"a\", n), new Row(\"b\", n * 7) }"
        ),
        ("code", "display(\"shown\");\nn * 7"),
    ];

    [Fact]
    public async Task Outputs_and_source_hashes_are_written_back()
    {
        using var folder = new TempFolder();
        var input = folder.Write("nb.ipynb", Notebook(Cells));
        var output = Path.Combine(folder.Path, "out.ipynb");

        var result = await NotebookRunner.RunAsync(input, output, TextWriter.Null);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((3, 3), (result.CellsRun, result.CodeCells));
        var cells = JsonNode.Parse(File.ReadAllText(output))!["cells"]!.AsArray();
        Assert.Equal("n is 6\n", Text(cells[1]!["outputs"]![0]!["text"]));
        Assert.Equal("execute_result", (string?)cells[2]!["outputs"]![0]!["output_type"]);
        Assert.Contains("<table>", Text(cells[2]!["outputs"]![0]!["data"]!["text/html"]));
        Assert.Equal(
            new[] { 1, 2, 3 },
            cells.Skip(1).Select(c => (int)c!["execution_count"]!).ToArray()
        );
        foreach (var cell in cells.Skip(1))
            Assert.Equal(
                NotebookDocuments.SourceHash(Text(cell!["source"])),
                (string?)cell["metadata"]![NotebookDocuments.SourceHashKey]
            );
    }

    [Fact]
    public async Task The_first_failing_cell_stops_the_run_and_later_outputs_are_cleared()
    {
        using var folder = new TempFolder();
        var input = folder.Write(
            "nb.ipynb",
            Notebook(("code", "var ok = 1;"), ("code", "int bad = \"x\";"), ("code", "ok"))
        );

        var result = await NotebookRunner.RunAsync(input, input, TextWriter.Null);

        Assert.False(result.Succeeded);
        Assert.Equal(2, result.FailedCell);
        Assert.Contains("cell 2: (1,11): error CS0029", result.Error);
        var cells = JsonNode.Parse(File.ReadAllText(input))!["cells"]!.AsArray();
        Assert.Equal("error", (string?)cells[1]!["outputs"]![0]!["output_type"]);
        Assert.Empty(cells[2]!["outputs"]!.AsArray());
        Assert.Null(cells[2]!["metadata"]![NotebookDocuments.SourceHashKey]);
    }

    [Fact]
    public async Task The_cli_writes_exactly_what_the_kernel_produced()
    {
        // The same cells submitted directly to a kernel and through `evomerge notebook run` (another
        // process, another kernel) give the same outputs: nothing is reformatted on the way.
        using var folder = new TempFolder();
        var input = folder.Write("nb.ipynb", Notebook(Cells));
        var output = Path.Combine(folder.Path, "out.ipynb");
        var cli = Path.Combine(AppContext.BaseDirectory, "EvoMerge.Cli.dll");
        using (
            var run = Process.Start(
                new ProcessStartInfo("dotnet", [cli, "notebook", "run", input, "-o", output])
                {
                    RedirectStandardOutput = true,
                    RedirectStandardError = true,
                }
            )!
        )
        {
            var log = await run.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(5));
            await run.WaitForExitAsync();
            Assert.True(run.ExitCode == 0, log + await run.StandardError.ReadToEndAsync());
            Assert.Contains("3/3 code cells ran", log);
        }
        var direct = new List<List<(string, string)>>();
        await using (var kernel = await KernelSession.StartAsync(folder.Path))
            foreach (var (type, source) in Cells.Where(c => c.Item1 == "code"))
            {
                var result = await kernel.SubmitAsync(source, TimeSpan.FromMinutes(3));
                direct.Add(
                    result
                        .Outputs.SelectMany(o => o.Values.Select(v => (v.MimeType, v.Value)))
                        .ToList()
                );
            }

        var written = JsonNode.Parse(File.ReadAllText(output))!["cells"]!
            .AsArray()
            .Where(c => (string?)c!["cell_type"] == "code")
            .Select(c =>
                c!["outputs"]!
                    .AsArray()
                    .SelectMany(o =>
                        o!["data"] is JsonObject data
                            ? data.Select(kv => (kv.Key, Text(kv.Value)))
                            : [("text/plain", Text(o["text"]))]
                    )
                    .ToList()
            )
            .ToList();
        Assert.Equal(direct.Count, written.Count);
        for (var i = 0; i < direct.Count; i++)
            Assert.Equal(direct[i].Order(), written[i].Order());
    }

    [Fact]
    public async Task Dib_notebooks_run_too()
    {
        using var folder = new TempFolder();
        var input = folder.Write(
            "nb.dib",
            "#!meta\n\n{\"kernelInfo\":{\"defaultKernelName\":\"csharp\",\"items\":[{\"name\":\"csharp\"}]}}\n\n#!markdown\n\n# Title\n\n#!csharp\n\nvar z = 3;\n\n#!csharp\n\nConsole.WriteLine(z * 2);\n"
        );

        var result = await NotebookRunner.RunAsync(input, input, TextWriter.Null);

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal((2, 2), (result.CellsRun, result.CodeCells));
        Assert.Contains("Console.WriteLine(z * 2);", File.ReadAllText(input));
    }

    [Fact]
    public async Task A_malformed_notebook_is_one_clear_error()
    {
        using var folder = new TempFolder();
        var input = folder.Write("bad.ipynb", "{ not json");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() =>
            NotebookRunner.RunAsync(input, null, TextWriter.Null)
        );

        Assert.Contains("bad.ipynb: not a readable notebook", error.Message);
    }

    static string Text(JsonNode? node) =>
        node switch
        {
            JsonArray lines => string.Concat(lines.Select(l => (string?)l)),
            null => "",
            _ => (string?)node ?? "",
        };
}
