using EvoMerge.Cli;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Cli;

/// <summary>
/// Every command reports a failure the same way: exactly one <c>error:</c> line on stderr, no stack
/// trace, and <see cref="ExitCodes.BadInput"/> for bad values and bad input files.
/// </summary>
[Collection(ConsoleCaptureCollection.Name)]
public sealed class CliErrorTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-cli-errors-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static Task<(int Code, string Err)> Cli(params string[] args) => CliCapture.Run(args);

    static void AssertOneErrorLine(int code, string err, string mustContain)
    {
        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {err}");
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, err);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(mustContain, lines[0]);
        Assert.DoesNotContain("   at ", err);
    }

    /// <summary>Bad runtime values fail at parse time, before a file is read or libtorch loads.</summary>
    [Theory]
    [InlineData("--device cudax", "--device cudax: expected auto, cpu, cuda or cuda:N", "merge")]
    [InlineData("--device gpu", "--device gpu: expected auto, cpu, cuda or cuda:N", "generate")]
    [InlineData("--threads 0", "--threads 0: expected a whole number of at least 1", "evolve")]
    [InlineData("--threads -3", "--threads -3: expected a whole number of at least 1", "zoo build")]
    [InlineData(
        "--dtype float8",
        "--dtype float8: expected float32, bfloat16 or float16",
        "generate"
    )]
    [InlineData("--seed -1", "--seed", "zoo data")]
    public async Task A_bad_runtime_value_is_one_error_line_and_exit_2(
        string option,
        string message,
        string command
    )
    {
        var output = Path.Combine(_dir, "out");
        string[] rest = command switch
        {
            "merge" => ["missing.yaml", "-o", output],
            "generate" => [Path.Combine(_dir, "no-model"), "--ids", "1"],
            "zoo data" => ["-o", output],
            "zoo build" => ["--tasks", Path.Combine(_dir, "no-tasks"), "-o", output],
            _ => [Path.Combine(_dir, "missing.yaml")],
        };
        var (code, err) = await Cli([.. command.Split(' '), .. rest, .. option.Split(' ')]);
        AssertOneErrorLine(code, err, message);
        Assert.False(Directory.Exists(output));
    }

    /// <summary>Bad input found while running (a missing file, a wrong combination) is reported the same way by every command.</summary>
    [Theory]
    [InlineData("tokenize", "no tokenizer found")]
    [InlineData("logits", "no-model")]
    [InlineData("generate", "give exactly one of --prompt or --ids")]
    [InlineData("route-logits", "no-model")]
    [InlineData("merge", "missing.yaml")]
    [InlineData("probe", "missing.yaml")]
    [InlineData("evolve", "missing.yaml")]
    [InlineData("notebook", "notebook not found")]
    public async Task Bad_input_is_one_error_line_and_exit_2_in_every_command(
        string command,
        string mustContain
    )
    {
        var model = Path.Combine(_dir, "no-model");
        Directory.CreateDirectory(model);
        var input = Path.Combine(_dir, "in.safetensors");
        var path = Path.Combine(_dir, "path.json");
        File.WriteAllText(path, """{"path":[{"model":"a","layer":0,"scale":1}]}""");
        string[] args = command switch
        {
            "tokenize" => ["tokenize", model, "hi"],
            "logits" => ["logits", model, "-i", input, "-o", Path.Combine(_dir, "o.safetensors")],
            "generate" => ["generate", model],
            "route-logits" =>
            [
                "route-logits",
                "--path",
                path,
                "--models",
                $"a={model}",
                "--input",
                input,
                "-o",
                Path.Combine(_dir, "o.safetensors"),
            ],
            "merge" =>
            [
                "merge",
                Path.Combine(_dir, "missing.yaml"),
                "-o",
                Path.Combine(_dir, "out"),
            ],
            "notebook" => ["notebook", "run", Path.Combine(_dir, "missing.ipynb")],
            _ =>
            [
                command,
                Path.Combine(_dir, "missing.yaml"),
                "--runs",
                Path.Combine(_dir, "runs"),
            ],
        };
        var (code, err) = await Cli(args);
        AssertOneErrorLine(code, err, mustContain);
    }
}
