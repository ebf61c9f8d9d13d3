using System.Text;
using System.Text.RegularExpressions;
using EvoMerge.Cli;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>Hostile inputs through the whole CLI: each is one <c>error:</c> line on stderr and exit 2, no stack trace unless --verbose, nothing written.</summary>
[Collection(ConsoleCaptureCollection.Name)]
public sealed class CliHostileInputTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-cli-hostile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static Task<(int Code, string Err)> Cli(params string[] args) => CliCapture.Run(args);

    string Recipe(string second)
    {
        var path = Path.Combine(_dir, "r.yaml");
        File.WriteAllText(
            path,
            $"merge_method: linear\nmodels:\n  - model: {Path.Combine(Family, "model_a")}\n    parameters: {{weight: 1}}\n  - model: {second}\n    parameters: {{weight: 1}}\n"
        );
        return path;
    }

    string CopyOfModelB(string name)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(Family, "model_b")))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        return folder;
    }

    static void AssertOneErrorLine(int code, string err, string mustContain)
    {
        Assert.True(code == 2, $"exit {code}: {err}");
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, err);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(mustContain, lines[0]);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public async Task Symlink_loop_as_the_safetensors_file()
    {
        var folder = CopyOfModelB("loop");
        File.Delete(Path.Combine(folder, "model.safetensors"));
        File.CreateSymbolicLink(
            Path.Combine(folder, "model.safetensors"),
            Path.Combine(folder, "other.safetensors")
        );
        File.CreateSymbolicLink(
            Path.Combine(folder, "other.safetensors"),
            Path.Combine(folder, "model.safetensors")
        );
        var output = Path.Combine(_dir, "out");
        var (code, err) = await Cli("merge", Recipe(folder), "-o", output);
        AssertOneErrorLine(code, err, "cannot read the file (Too many levels of symbolic links");
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task Symlink_loop_as_the_model_folder_and_as_the_recipe()
    {
        var a = Path.Combine(_dir, "a");
        var b = Path.Combine(_dir, "b");
        Directory.CreateSymbolicLink(a, b);
        Directory.CreateSymbolicLink(b, a);
        var (code, err) = await Cli("merge", Recipe(a), "-o", Path.Combine(_dir, "out"));
        AssertOneErrorLine(code, err, "model folder");
        (code, err) = await Cli("merge", a, "-o", Path.Combine(_dir, "out"));
        AssertOneErrorLine(code, err, "cannot read the recipe");
    }

    [Fact]
    public async Task Data_offsets_as_strings_name_the_file_and_the_tensor()
    {
        var folder = CopyOfModelB("strings");
        var file = Path.Combine(folder, "model.safetensors");
        var bytes = File.ReadAllBytes(file);
        var length = (int)BitConverter.ToUInt64(bytes, 0);
        var header = Encoding.UTF8.GetString(bytes, 8, length);
        var broken = new Regex("\"data_offsets\":\\[(\\d+),(\\d+)\\]").Replace(
            header,
            "\"data_offsets\":[\"$1\",\"$2\"]",
            1
        );
        var newHeader = Encoding.UTF8.GetBytes(broken);
        File.WriteAllBytes(
            file,
            [
                .. BitConverter.GetBytes((ulong)newHeader.Length),
                .. newHeader,
                .. bytes.AsSpan(8 + length).ToArray(),
            ]
        );
        var (code, err) = await Cli("merge", Recipe(folder), "-o", Path.Combine(_dir, "out"));
        AssertOneErrorLine(code, err, "data_offsets must be [begin, end]");
        Assert.Contains(file, err);
        Assert.Contains("tensor '", err);
    }

    [Fact]
    public async Task Unexpected_failure_is_one_line_and_the_trace_only_with_verbose()
    {
        // The output's parent is a file: the writer cannot create the staging folder.
        var blocker = Path.Combine(_dir, "file");
        File.WriteAllText(blocker, "x");
        var recipe = Recipe(Path.Combine(Family, "model_b"));
        var (code, err) = await Cli("merge", recipe, "-o", Path.Combine(blocker, "out"));
        AssertOneErrorLine(code, err, "error: ");
        (code, err) = await Cli("merge", recipe, "-o", Path.Combine(blocker, "out"), "--verbose");
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains("   at ", err);
        Assert.Equal("x", File.ReadAllText(blocker));
    }

    [Theory]
    [InlineData(
        "frobnicate --help",
        "unknown command 'frobnicate' for 'evomerge' (see evomerge --help)"
    )]
    [InlineData("frobnicate", "unknown command 'frobnicate' for 'evomerge' (see")]
    [InlineData("evolv x.yaml", "unknown command 'evolv' for 'evomerge'; did you mean 'evolve'?")]
    [InlineData("merg --help", "unknown command 'merg' for 'evomerge'; did you mean 'merge'?")]
    [InlineData(
        "zoo buld --help",
        "unknown command 'buld' for 'evomerge zoo'; did you mean 'build'?"
    )]
    [InlineData("merge", "Option '--output' is required; Required argument missing")]
    [InlineData("zoo", "Required command was not provided (see evomerge zoo --help)")]
    public async Task Unknown_commands_and_bad_arguments_are_one_error_line_and_exit_2(
        string args,
        string message
    )
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            var (code, err) = await Cli(args.Split(' '));
            AssertOneErrorLine(code, err, message);
        }
        finally
        {
            Console.SetOut(original);
        }
        Assert.Equal("", output.ToString());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("merge --help")]
    [InlineData("zoo --help")]
    public async Task Help_for_a_known_command_still_prints_help_and_exits_0(string args)
    {
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        int code;
        string err;
        try
        {
            (code, err) = await Cli(args.Split(' '));
        }
        finally
        {
            Console.SetOut(original);
        }
        Assert.Equal(0, code);
        Assert.Equal("", err);
        Assert.Contains("Usage:", output.ToString());
    }
}
