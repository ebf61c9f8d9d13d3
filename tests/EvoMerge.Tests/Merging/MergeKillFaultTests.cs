using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;

namespace EvoMerge.Tests.Merging;

/// <summary>
/// A real fault test: `evomerge merge` runs as its own process (the built CLI, <c>dotnet
/// EvoMerge.Cli.dll</c>) and is SIGKILLed at seeded moments, during start-up and while it writes its
/// shards. After every kill the output folder is the previous complete checkpoint (or, killed between
/// the two renames, absent with that checkpoint kept as the backup), never a half-written one; the
/// next run tidies the leftovers with one note line and writes the same checkpoint.
/// </summary>
public sealed class MergeKillFaultTests(ITestOutputHelper log) : IDisposable
{
    static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "EvoMerge.Cli.dll");
    static readonly string DotnetHost =
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
    static readonly TimeSpan ProcessLimit = TimeSpan.FromSeconds(60);
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-kill-").FullName;
    readonly List<Process> _started = [];

    public void Dispose()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
                process.Kill();
            process.Dispose();
        }
        Directory.Delete(_dir, recursive: true);
    }

    string Output => Path.Combine(_dir, "out");

    /// <summary>A random Llama of about 15 MB (f32, 4 layers), large enough that writing its 1 MB shards takes a while.</summary>
    string Source(string name, int seed)
    {
        const int Hidden = 256,
            Intermediate = 640,
            Layers = 4,
            Vocab = 2048,
            KvDim = 128;
        var folder = Path.Combine(_dir, name);
        torch.manual_seed(seed);
        using var scope = torch.NewDisposeScope();
        var tensors = new List<(string, torch.Tensor)>
        {
            ("model.embed_tokens.weight", torch.randn(Vocab, Hidden) * 0.02f),
            ("lm_head.weight", torch.randn(Vocab, Hidden) * 0.02f),
            ("model.norm.weight", torch.ones(Hidden)),
        };
        for (int l = 0; l < Layers; l++)
        {
            var p = $"model.layers.{l}.";
            tensors.Add((p + "input_layernorm.weight", torch.ones(Hidden)));
            tensors.Add((p + "post_attention_layernorm.weight", torch.ones(Hidden)));
            tensors.Add((p + "self_attn.q_proj.weight", torch.randn(Hidden, Hidden) * 0.02f));
            tensors.Add((p + "self_attn.k_proj.weight", torch.randn(KvDim, Hidden) * 0.02f));
            tensors.Add((p + "self_attn.v_proj.weight", torch.randn(KvDim, Hidden) * 0.02f));
            tensors.Add((p + "self_attn.o_proj.weight", torch.randn(Hidden, Hidden) * 0.02f));
            tensors.Add((p + "mlp.gate_proj.weight", torch.randn(Intermediate, Hidden) * 0.02f));
            tensors.Add((p + "mlp.up_proj.weight", torch.randn(Intermediate, Hidden) * 0.02f));
            tensors.Add((p + "mlp.down_proj.weight", torch.randn(Hidden, Intermediate) * 0.02f));
        }
        CheckpointWriter.WriteFolder(folder, tensors);
        var config = JsonNode
            .Parse(File.ReadAllText(Fixtures.Path("merges/llama-family/model_a/config.json")))!
            .AsObject();
        config["hidden_size"] = Hidden;
        config["intermediate_size"] = Intermediate;
        config["num_hidden_layers"] = Layers;
        config["vocab_size"] = Vocab;
        config["num_attention_heads"] = 4;
        config["num_key_value_heads"] = 2;
        config["head_dim"] = 64;
        File.WriteAllText(Path.Combine(folder, "config.json"), config.ToJsonString());
        return folder;
    }

    sealed record Finished(int Code, string[] Out, string[] Err);

    Process Start(string recipe)
    {
        var info = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (
            var a in new[]
            {
                CliDll,
                "merge",
                recipe,
                "-o",
                Output,
                "--overwrite",
                "--max-shard-size",
                "1MB",
            }
        )
            info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        var process = Process.Start(info)!;
        _started.Add(process);
        return process;
    }

    Finished RunToEnd(string recipe)
    {
        var process = Start(recipe);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(ProcessLimit))
            process.Kill();
        process.WaitForExit();
        string[] Lines(Task<string> t) =>
            t.Result.Split(
                '\n',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
            );
        return new Finished(process.ExitCode, Lines(stdout), Lines(stderr));
    }

    /// <summary>Every file of a checkpoint folder but the provenance file (it holds the time), with its SHA-256.</summary>
    static string Digest(string folder) =>
        string.Join(
            "\n",
            Directory
                .EnumerateFiles(folder)
                .Where(f => Path.GetFileName(f) != OutputFolder.MarkerFileName)
                .Order(StringComparer.Ordinal)
                .Select(f =>
                    $"{Path.GetFileName(f)} {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(f)))}"
                )
        );

    string[] Leftovers() =>
        Directory
            .GetDirectories(_dir, ".out.tmp-*")
            .Select(Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .ToArray()!;

    string? StagingOf(Process process) =>
        Directory
            .EnumerateDirectories(_dir, $".out.tmp-{process.Id}-*")
            .FirstOrDefault(d => !d.EndsWith(".old", StringComparison.Ordinal));

    [Fact]
    public void Killed_merges_never_leave_a_half_written_output_and_the_next_run_recovers()
    {
        var clock = Stopwatch.StartNew();
        var a = Source("a", 1);
        var b = Source("b", 2);
        var recipe = Path.Combine(_dir, "r.yaml");
        File.WriteAllText(
            recipe,
            $"merge_method: linear\nmodels:\n  - model: {a}\n    parameters: {{weight: 1}}\n  - model: {b}\n    parameters: {{weight: 3}}\n"
        );
        string[] Others() =>
            Directory
                .EnumerateFileSystemEntries(_dir, "*", SearchOption.AllDirectories)
                .Where(p =>
                    !Path.GetRelativePath(_dir, p).StartsWith("out", StringComparison.Ordinal)
                )
                .Where(p =>
                    !Path.GetRelativePath(_dir, p).StartsWith(".out", StringComparison.Ordinal)
                )
                .Select(p => $"{p} {(File.Exists(p) ? new FileInfo(p).Length : -1)}")
                .Order(StringComparer.Ordinal)
                .ToArray();
        var others = Others();

        // The reference run: the complete checkpoint, and how long start-up takes.
        var run = Stopwatch.StartNew();
        var reference = Start(recipe);
        reference.StandardOutput.ReadToEndAsync();
        reference.StandardError.ReadToEndAsync();
        while (!reference.HasExited && StagingOf(reference) is null)
            Thread.Sleep(1);
        var startup = run.Elapsed;
        Assert.True(reference.WaitForExit(ProcessLimit));
        Assert.Equal(0, reference.ExitCode);
        Assert.True(OutputFolder.IsOwnOutput(Output));
        var shards = Directory.GetFiles(Output, "model-*.safetensors").Length;
        Assert.True(shards >= 8, $"{shards} shards");
        var expected = Digest(Output);
        log.WriteLine(
            $"reference: start-up {startup.TotalSeconds:F2} s, {shards} shards, exit after {run.Elapsed.TotalSeconds:F2} s"
        );

        // The moments, seeded: two during start-up (a time), three while shards are written (once
        // the staging folder holds a given number of shard files), one when the staging folder is
        // complete (its provenance file is written last, just before the two renames).
        var random = new Random(15);
        var moments = new List<(string Name, Func<Process, bool> Reached)>();
        for (int k = 0; k < 2; k++)
        {
            var at = startup * random.NextDouble();
            moments.Add(
                ($"{at.TotalSeconds:F3} s into start-up", p => p.StartTime + at <= DateTime.Now)
            );
        }
        for (int k = 0; k < 3; k++)
        {
            var count = random.Next(1, shards / 2 + 1);
            moments.Add(
                (
                    $"at shard {count} of {shards}",
                    p =>
                        StagingOf(p) is { } staging
                        && Directory.GetFiles(staging, "model-*.safetensors").Length >= count
                )
            );
        }
        bool staged = false; // the swap can be quicker than a poll: then kill right after it
        moments.Add(
            (
                "when the staging folder is complete",
                p =>
                    StagingOf(p) is { } staging
                        ? (staged = true)
                            && File.Exists(Path.Combine(staging, OutputFolder.MarkerFileName))
                        : staged
            )
        );

        int leftAnything = 0,
            midSwap = 0;
        foreach (var (moment, reached) in moments)
        {
            var process = Start(recipe);
            process.StandardOutput.ReadToEndAsync();
            process.StandardError.ReadToEndAsync();
            while (!process.HasExited && !reached(process))
                Thread.Sleep(1);
            var alive = !process.HasExited;
            if (alive)
                process.Kill(); // SIGKILL: no finally blocks, no Dispose
            process.WaitForExit();
            var leftovers = Leftovers();
            if (Directory.Exists(Output))
            {
                Assert.True(
                    OutputFolder.IsOwnOutput(Output),
                    $"kill {moment}: output without provenance"
                );
                Assert.Equal(expected, Digest(Output));
            }
            else
            {
                // Killed between the two renames: the previous checkpoint is the backup.
                var backup = Assert.Single(
                    leftovers,
                    l => l.EndsWith(".old", StringComparison.Ordinal)
                );
                Assert.Equal(expected, Digest(Path.Combine(_dir, backup)));
                midSwap++;
            }
            Assert.All(
                leftovers,
                l => Assert.Matches($"^\\.out\\.tmp-{process.Id}-[0-9a-f]{{32}}(\\.old)?$", l)
            );
            log.WriteLine(
                $"kill {moment}: "
                    + $"{(alive ? "killed" : "had exited")}, leftovers [{string.Join(", ", leftovers)}]"
            );

            Assert.Equal(others, Others());
            if (leftovers.Length == 0)
                continue; // the output is the previous checkpoint, untouched: nothing to recover

            // The next run tidies up, says so in one line, and writes the same checkpoint.
            leftAnything++;
            var absent = !Directory.Exists(Output);
            var next = RunToEnd(recipe);
            Assert.True(next.Code == 0, string.Join("\n", next.Err));
            var note = Assert.Single(next.Err);
            Assert.StartsWith("note: ", note);
            Assert.Contains(absent ? "restored" : "removed", note);
            Assert.Equal($"wrote {Output}", next.Out[^1]);
            Assert.Empty(Leftovers());
            Assert.Equal(expected, Digest(Output));
            Assert.Equal(others, Others());
        }
        log.WriteLine(
            $"{leftAnything} of 6 kills left leftovers ({midSwap} between the renames); {clock.Elapsed.TotalSeconds:F1} s in all"
        );
        Assert.True(leftAnything >= 3, "kills did not land while the shards were being written");
    }
}
