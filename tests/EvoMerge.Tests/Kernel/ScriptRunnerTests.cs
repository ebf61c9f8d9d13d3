using EvoMerge.Cli.Kernel;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Kernel;

/// <summary><c>evomerge script</c>: .csx files in the real kernel (no library load: these stay fast).</summary>
[Collection(KernelCollection.Name)]
public class ScriptRunnerTests
{
    [Fact]
    public async Task Args_load_and_relative_paths_work_like_dotnet_script()
    {
        using var folder = new TempFolder();
        folder.Write("lib/helpers.csx", "static int Square(int x) => x * x;\n");
        var script = folder.Write(
            "main.csx",
            """
            #load "lib/helpers.csx"
            var sum = Args.Take(3).Select(int.Parse).Sum(Square);
            Console.WriteLine($"squares={sum}");
            File.WriteAllText("result.txt", $"squares={sum} args={Args.Count} quote={Args[^1]}");
            """
        );
        var (stdout, stderr) = (new StringWriter(), new StringWriter());

        var code = await ScriptRunner.RunAsync(script, ["1", "2", "3", "\"[x]\""], stdout, stderr);

        Assert.True(code == 0, stderr.ToString());
        Assert.Equal("squares=14\n", stdout.ToString().ReplaceLineEndings("\n"));
        Assert.Equal(
            "squares=14 args=4 quote=\"[x]\"",
            File.ReadAllText(Path.Combine(folder.Path, "result.txt"))
        );
    }

    [Fact]
    public async Task Compile_errors_name_file_line_and_column()
    {
        using var folder = new TempFolder();
        var script = folder.Write("broken.csx", "var a = 1;\nvar b = 2;\nint c = \"three\";\n");
        var stderr = new StringWriter();

        var code = await ScriptRunner.RunAsync(script, [], TextWriter.Null, stderr);

        Assert.Equal(ScriptRunner.Failed, code);
        Assert.Matches(@"broken\.csx:3:9: error CS0029: ", stderr.ToString());
    }

    [Fact]
    public async Task An_exception_fails_with_its_message()
    {
        using var folder = new TempFolder();
        var script = folder.Write(
            "boom.csx",
            "throw new InvalidOperationException(\"boom at one\");\n"
        );
        var stderr = new StringWriter();

        var code = await ScriptRunner.RunAsync(script, [], TextWriter.Null, stderr);

        Assert.Equal(ScriptRunner.Failed, code);
        Assert.Contains("boom.csx", stderr.ToString());
        Assert.Contains("System.InvalidOperationException: boom at one", stderr.ToString());
    }

    [Fact]
    public async Task Return_value_is_the_exit_code()
    {
        using var folder = new TempFolder();
        var script = folder.Write("exit.csx", "return Args.Count == 2 ? 42 : 1;\n");

        Assert.Equal(
            42,
            await ScriptRunner.RunAsync(script, ["a", "b"], TextWriter.Null, TextWriter.Null)
        );
    }

    [Fact]
    public async Task Missing_script_is_reported()
    {
        using var folder = new TempFolder();
        var stderr = new StringWriter();

        var code = await ScriptRunner.RunAsync(
            Path.Combine(folder.Path, "x.csx"),
            [],
            TextWriter.Null,
            stderr
        );

        Assert.Equal(ScriptRunner.NotFound, code);
        Assert.Contains("x.csx: script not found", stderr.ToString());
    }
}
