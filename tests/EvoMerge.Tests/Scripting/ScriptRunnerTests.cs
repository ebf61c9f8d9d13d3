using EvoMerge.Cli.Scripting;
using Xunit;

namespace EvoMerge.Tests.Scripting;

[Collection(ScriptingCollection.Name)]
public class ScriptRunnerTests
{
    [Fact]
    public async Task Script_loads_another_file_uses_args_and_tensors_and_writes_beside_itself()
    {
        using var folder = new TempFolder();
        folder.Write(
            "lib/helpers.csx",
            """
            #r "nuget: TorchSharp, 0.107.0"
            using TorchSharp;
            static float SumOfSquares(int n) => torch.arange(n, dtype: torch.float32).pow(2).sum().item<float>();
            """
        );
        var script = folder.Write(
            "main.csx",
            """
            #load "lib/helpers.csx"
            var n = int.Parse(Args[0]);
            File.WriteAllText("result.txt", $"{Args[1]}={SumOfSquares(n)}");
            """
        );
        var cwd = Environment.CurrentDirectory;
        var error = new StringWriter();

        var code = await ScriptRunner.RunAsync(script, ["4", "squares"], error);

        Assert.True(code == 0, error.ToString());
        // 0² + 1² + 2² + 3² = 14, written relative to the script's folder, not the caller's.
        Assert.Equal("squares=14", File.ReadAllText(Path.Combine(folder.Path, "result.txt")));
        Assert.Equal(cwd, Environment.CurrentDirectory);
    }

    [Fact]
    public async Task Syntax_error_reports_file_line_and_column()
    {
        using var folder = new TempFolder();
        var script = folder.Write("broken.csx", "var a = 1;\nvar b = 2;\nvar c = a +* b;\n");
        var error = new StringWriter();

        var code = await ScriptRunner.RunAsync(script, [], error);

        Assert.Equal(ScriptRunner.Failed, code);
        Assert.Matches(@"broken\.csx:3:\d+: error CS\d{4}: ", error.ToString());
    }

    [Fact]
    public async Task Error_in_a_loaded_file_names_that_file()
    {
        using var folder = new TempFolder();
        folder.Write("part.csx", "// helper\nint Twice(int x) => x * undefinedName;\n");
        var script = folder.Write("main.csx", "#load \"part.csx\"\nConsole.WriteLine(Twice(2));\n");
        var error = new StringWriter();

        var code = await ScriptRunner.RunAsync(script, [], error);

        Assert.Equal(ScriptRunner.Failed, code);
        Assert.Contains("part.csx:2:", error.ToString());
        Assert.Contains("CS0103", error.ToString());
    }

    [Fact]
    public async Task Unknown_nuget_package_is_a_clear_error_at_its_line()
    {
        using var folder = new TempFolder();
        var script = folder.Write(
            "pkg.csx",
            "// needs a package\n#r \"nuget: Unknown.Pkg, 1.0\"\nConsole.WriteLine(1);\n"
        );
        var error = new StringWriter();

        var code = await ScriptRunner.RunAsync(script, [], error);

        Assert.Equal(ScriptRunner.Failed, code);
        Assert.Matches(
            @"pkg\.csx:2:\d+: error CS0006: NuGet package 'Unknown\.Pkg' is not available",
            error.ToString()
        );
        Assert.Contains("TorchSharp", error.ToString()); // says what is available
    }

    [Fact]
    public async Task Runtime_exception_reports_message_and_script_line()
    {
        using var folder = new TempFolder();
        var script = folder.Write(
            "boom.csx",
            "var x = 1;\nif (x == 1)\n    throw new InvalidOperationException(\"boom at three\");\n"
        );
        var error = new StringWriter();

        var code = await ScriptRunner.RunAsync(script, [], error);

        Assert.Equal(ScriptRunner.Failed, code);
        Assert.Contains("System.InvalidOperationException: boom at three", error.ToString());
        Assert.Contains("boom.csx:line 3", error.ToString());
    }

    [Fact]
    public async Task Return_value_is_the_exit_code()
    {
        using var folder = new TempFolder();
        var script = folder.Write("exit.csx", "return Args.Count + 40;\n");

        Assert.Equal(42, await ScriptRunner.RunAsync(script, ["a", "b"], new StringWriter()));
    }

    [Fact]
    public async Task Dll_reference_to_a_library_binds_to_the_host_copy()
    {
        using var folder = new TempFolder();
        // The paths need not exist: the file names are assemblies the host already loaded.
        var script = folder.Write(
            "bind.csx",
            """
            #r "../no/such/folder/EvoMerge.dll"
            #r "../no/such/folder/TorchSharp.dll"
            EvoMerge.Runtime.TorchRuntime.Initialize();
            var t = TorchSharp.torch.ones(3);
            return (int)t.sum().item<float>() == 3 && typeof(EvoMerge.Runtime.TorchRuntime).Assembly.Location == Args[0] ? 0 : 7;
            """
        );
        var hostLocation = typeof(EvoMerge.Runtime.TorchRuntime).Assembly.Location;
        var error = new StringWriter();

        var code = await ScriptRunner.RunAsync(script, [hostLocation], error);

        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Single(
            AppDomain.CurrentDomain.GetAssemblies(),
            a => a.GetName().Name == "TorchSharp"
        );
        Assert.Single(AppDomain.CurrentDomain.GetAssemblies(), a => a.GetName().Name == "EvoMerge");
    }

    [Fact]
    public async Task Missing_script_is_reported()
    {
        var error = new StringWriter();
        var code = await ScriptRunner.RunAsync("/nonexistent/x.csx", [], error);
        Assert.Equal(ScriptRunner.NotFound, code);
        Assert.Contains("x.csx: script not found", error.ToString());
    }
}
