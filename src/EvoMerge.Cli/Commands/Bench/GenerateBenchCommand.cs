using System.CommandLine;
using System.Globalization;
using EvoMerge.Benchmarks;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Options;
using EvoMerge.Common;
using EvoMerge.Runtime;
using Spectre.Console;
using TorchSharp;

namespace EvoMerge.Cli.Commands.Bench;

/// <summary>`evomerge bench generate`: batched greedy generation speed of a random model of a named shape.</summary>
internal static class GenerateBenchCommand
{
    public static Command Create()
    {
        var defaults = new GenerateBenchmarkOptions();
        var shape = new Option<string>("--shape")
        {
            Description = $"Model shape: {BenchShapes.Help}.",
            DefaultValueFactory = _ => defaults.Shape,
        };
        var batch = new Option<string>("--batch")
        {
            Description = "Batch sizes, comma-separated.",
            DefaultValueFactory = _ => string.Join(",", defaults.Batches),
        };
        var promptTokens = new Option<int>("--prompt-tokens")
        {
            DefaultValueFactory = _ => defaults.PromptTokens,
        };
        var newTokens = new Option<int>("--new-tokens")
        {
            DefaultValueFactory = _ => defaults.NewTokens,
        };
        var repeats = new Option<int>("--repeats")
        {
            Description = "Timed runs (median) after one warm-up.",
            DefaultValueFactory = _ => defaults.Repeats,
        };
        var command = new Command(
            "generate",
            "Greedy generation tokens/s, ms per decode step and prefill tokens/s of a random model (the evaluator's batched path)."
        );
        foreach (var option in new Option[] { shape, batch, promptTokens, newTokens, repeats })
            command.Options.Add(option);
        var runtime = RuntimeOptions.AddTo(
            command,
            RuntimeOption.Device | RuntimeOption.Dtype | RuntimeOption.Threads
        );
        command.SetAction(parseResult =>
        {
            var settings = runtime.Initialize(parseResult);
            var dev = settings.Device;
            var options = defaults with
            {
                Shape = parseResult.GetValue(shape)!,
                Batches = ParseBatches(parseResult.GetValue(batch)!),
                PromptTokens = parseResult.GetValue(promptTokens),
                NewTokens = parseResult.GetValue(newTokens),
                Repeats = parseResult.GetValue(repeats),
                Dtype = settings.Dtype!.Value.ToHfName(),
            };
            BenchShapes.Get(options.Shape); // fail on a bad name before printing anything
            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine(
                string.Create(
                    inv,
                    $"shape {options.Shape}, {options.Dtype} on {dev}, {torch.get_num_threads()} threads, prompt {options.PromptTokens} + {options.NewTokens} new tokens, median of {options.Repeats}"
                )
            );
            var (parameters, rows) = GenerateBenchmark.Run(
                options,
                dev,
                row =>
                    Console.WriteLine(
                        string.Create(
                            inv,
                            $"batch {row.Batch}: generate {row.GenerateSeconds:F3} s = {row.TokensPerSecond:F1} tok/s; decode {row.MillisecondsPerStep:F2} ms/step = {row.DecodeTokensPerSecond:F1} tok/s; prefill {row.PrefillSeconds:F3} s = {row.PrefillTokensPerSecond:F0} tok/s"
                        )
                    )
            );
            var table = new Table().Title(
                string.Create(
                    inv,
                    $"bench generate {options.Shape} ({parameters / 1e6:F1}M params)"
                )
            );
            foreach (
                var header in new[] { "batch", "tok/s", "ms/step", "decode tok/s", "prefill tok/s" }
            )
                table.AddColumn(new TableColumn(header).RightAligned());
            foreach (var r in rows)
                table.AddRow(
                    r.Batch.ToString(inv),
                    r.TokensPerSecond.ToString("F1", inv),
                    r.MillisecondsPerStep.ToString("F2", inv),
                    r.DecodeTokensPerSecond.ToString("F1", inv),
                    r.PrefillTokensPerSecond.ToString("F0", inv)
                );
            AnsiConsole.Write(table);
            return 0;
        });
        return command;
    }

    static ValueArray<int> ParseBatches(string text)
    {
        var parts = text.Split(
            ',',
            StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
        );
        var sizes = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (
                !int.TryParse(
                    parts[i],
                    NumberStyles.None,
                    CultureInfo.InvariantCulture,
                    out sizes[i]
                )
                || sizes[i] <= 0
            )
                throw new ArgumentException(
                    $"--batch {text}: '{parts[i]}' is not a positive integer"
                );
        if (sizes.Length == 0)
            throw new ArgumentException("--batch: no batch sizes given");
        return sizes;
    }
}
