using System.CommandLine;
using System.Text.Json;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Commands;
using EvoMerge.Common;
using EvoMerge.Models;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Models;

/// <summary>The `logits` and `generate` commands through their handlers, with real files in and out.</summary>
public class CommandTests(ITestOutputHelper output) : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static (int Code, string Out, string Err) Invoke(Command command, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = command
            .Parse(args)
            .Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Theory]
    [MemberData(nameof(Reference.ModelFixtures), MemberType = typeof(Reference))]
    public void Logits_command_writes_reference_logits(string fixture)
    {
        using var scope = NewDisposeScope();
        var input = Path.Combine(_dir, "in.safetensors");
        var result = Path.Combine(_dir, "out.safetensors");
        var ids = Reference.Load(fixture, "input_ids");
        var mask = Reference.Load(fixture, "attention_mask");

        CheckpointWriter.WriteFile(input, [("input_ids", ids)]);
        var (code, stdout, stderr) = Invoke(
            LogitsCommand.Create(),
            Reference.ModelDir(fixture),
            "--input",
            input,
            "-o",
            result
        );
        Assert.True(code == 0, stderr);
        using (var reader = CheckpointReader.Open(result))
        {
            Assert.Equal(SafetensorsDtype.F32, reader.Info("logits").Dtype);
            var delta = Reference.MaxAbsDiff(
                reader.Load("logits"),
                Reference.Load(fixture, "logits")
            );
            output.WriteLine($"{fixture}: CLI logits max |Δ| = {delta:E2} ({stdout.Trim()})");
            Assert.InRange(delta, 0, 1e-4);
        }

        CheckpointWriter.WriteFile(input, [("input_ids", ids), ("attention_mask", mask)]);
        (code, _, stderr) = Invoke(
            LogitsCommand.Create(),
            Reference.ModelDir(fixture),
            "--input",
            input,
            "-o",
            result
        );
        Assert.True(code == 0, stderr);
        using (var reader = CheckpointReader.Open(result))
        {
            var padded = mask.eq(0).unsqueeze(-1);
            var delta = Reference.MaxAbsDiff(
                reader.Load("logits").masked_fill(padded, 0),
                Reference.Load(fixture, "logits_masked").masked_fill(padded, 0)
            );
            output.WriteLine($"{fixture}: CLI masked logits max |Δ| = {delta:E2}");
            Assert.InRange(delta, 0, 1e-4);
        }
    }

    [Fact]
    public void Logits_command_reports_a_missing_input_ids_tensor_and_writes_nothing()
    {
        using var scope = NewDisposeScope();
        var input = Path.Combine(_dir, "in.safetensors");
        var result = Path.Combine(_dir, "out.safetensors");
        CheckpointWriter.WriteFile(input, [("tokens", zeros([1, 3], ScalarType.Int64))]);
        var (code, _, stderr) = Invoke(
            LogitsCommand.Create(),
            Reference.ModelDir("llama-tiny"),
            "--input",
            input,
            "-o",
            result
        );
        Assert.Equal(EvoMerge.Cli.ExitCodes.BadInput, code); // bad input: exit 2, as every command
        Assert.StartsWith("error: ", stderr);
        Assert.Contains("input_ids", stderr);
        Assert.Contains(input, stderr);
        Assert.False(File.Exists(result));
    }

    [Fact]
    public void Generate_command_prints_the_greedy_continuation_of_ids()
    {
        var prompt = Reference.Row(Reference.Load("llama-tiny", "greedy_prompt"), 0);
        var expected = Reference.Row(Reference.Load("llama-tiny", "greedy_ids"), 0, prompt.Length);
        var (code, stdout, stderr) = Invoke(
            GenerateCommand.Create(),
            Reference.ModelDir("llama-tiny"),
            "--ids",
            string.Join(",", prompt),
            "--max-new-tokens",
            expected.Length.ToString(),
            "--device",
            "cpu"
        );
        Assert.True(code == 0, stderr);
        // llama-tiny's EOS (2) is not among these tokens, so the run goes to max tokens as transformers' did.
        Assert.Equal(expected, JsonSerializer.Deserialize<long[]>(stdout.Trim()));
    }

    [Fact]
    public void Generate_command_encodes_the_prompt_and_prints_decoded_text()
    {
        var folder = Reference.ModelDir("llama-tiny");
        var tokenizer = EvoMerge.Checkpoints.Tokenizers.TokenizerLoader.Load(folder);
        var promptIds = tokenizer
            .Encode("Hello world", addBos: tokenizer.AddBosToken)
            .Select(i => (long)i)
            .ToArray();
        using var model = CausalLanguageModel.FromPretrained(folder);
        var expected = Generation.Generate(
            model,
            [promptIds],
            new GenerationOptions { MaxNewTokens = 6 }
        );
        var (code, stdout, stderr) = Invoke(
            GenerateCommand.Create(),
            folder,
            "--prompt",
            "Hello world",
            "-n",
            "6",
            "--device",
            "cpu"
        );
        Assert.True(code == 0, stderr);
        Assert.Equal(
            tokenizer.Decode(expected.Tokens[0].Select(t => (int)t)),
            stdout.TrimEnd('\n')
        );
    }

    [Fact]
    public void Generate_command_needs_exactly_one_of_prompt_or_ids()
    {
        var (code, _, stderr) = Invoke(
            GenerateCommand.Create(),
            Reference.ModelDir("llama-tiny"),
            "--prompt",
            "hello",
            "--ids",
            "1,2"
        );
        Assert.Equal(2, code);
        Assert.Contains("exactly one of --prompt or --ids", stderr);
    }
}
