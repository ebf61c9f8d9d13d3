using System.CommandLine;
using System.Globalization;
using EvoMerge.Benchmarks;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Options;
using EvoMerge.Runtime;
using TorchSharp;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge bench forward|load`: throughput of a generated Llama of a named shape, and lazy loading of a multi-GB checkpoint.</summary>
internal static class ModelBenchCommands
{
    public static Command Forward()
    {
        var defaults = new ForwardBenchmarkOptions();
        var shape = new Option<string>("--shape")
        {
            Description = $"Model shape: {BenchShapes.Help}.",
            DefaultValueFactory = _ => defaults.Shape,
        };
        var batch = new Option<int>("--batch") { DefaultValueFactory = _ => defaults.Batch };
        var seq = new Option<int>("--seq") { DefaultValueFactory = _ => defaults.SequenceLength };
        var newTokens = new Option<int>("--new-tokens")
        {
            DefaultValueFactory = _ => defaults.NewTokens,
        };
        var layers = new Option<int?>("--layers")
        {
            Description = "Decoder layers (default: the shape's).",
        };
        var repeats = new Option<int>("--repeats")
        {
            Description = "Timed runs (median) after one warm-up.",
            DefaultValueFactory = _ => defaults.Repeats,
        };
        var command = new Command(
            "forward",
            "Forward and greedy-decode tokens/s of a random Llama of a named shape (default small: 100M parameters, hidden 768, vocab 32000)."
        );
        foreach (var option in new Option[] { shape, batch, seq, newTokens, layers, repeats })
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
                Batch = parseResult.GetValue(batch),
                SequenceLength = parseResult.GetValue(seq),
                NewTokens = parseResult.GetValue(newTokens),
                Layers = parseResult.GetValue(layers),
                Dtype = settings.Dtype!.Value.ToHfName(),
                Repeats = parseResult.GetValue(repeats),
            };
            var r = ForwardBenchmark.Run(options, dev);
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"""
                    model: {r.Parameters
                        / 1e6:F1}M parameters, {options.Dtype} on {dev}, {torch.get_num_threads()} threads
                    forward {options.Batch}x{options.SequenceLength}: {r.ForwardSeconds:F3} s = {r.ForwardTokensPerSecond:F0} tokens/s
                    greedy decode {options.Batch} rows x {options.NewTokens} tokens (KV cache): prefill {r.PrefillSeconds:F3} s, decode {r.DecodeSeconds:F3} s = {r.DecodeTokensPerSecond:F1} tokens/s
                    """
                )
            );
            return 0;
        });
        return command;
    }

    public static Command Load()
    {
        var gb = new Option<double>("--gb")
        {
            Description = "Checkpoint size in GB.",
            DefaultValueFactory = _ => 2.5,
        };
        var dir = new Option<string>("--dir")
        {
            Description = "Where to write it (deleted afterwards).",
            DefaultValueFactory = _ => Path.GetTempPath(),
        };
        var command = new Command(
            "load",
            "Write a random multi-GB checkpoint, open it and load one tensor; report time and peak RSS."
        );
        command.Options.Add(gb);
        command.Options.Add(dir);
        command.SetAction(parseResult =>
        {
            TorchRuntime.Initialize();
            var folder = Path.Combine(
                parseResult.GetValue(dir)!,
                $"evomerge-bench-load-{Environment.ProcessId}"
            );
            var r = LoadBenchmark.Run(folder, (long)(parseResult.GetValue(gb) * 1e9));
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"""
                    checkpoint: {r.CheckpointBytes
                        / 1e9:F2} GB, {r.Tensors} tensors, {r.Shards} shards (written in {r.WriteSeconds:F1} s, then deleted)
                    open (headers only): {r.OpenMilliseconds:F1} ms
                    load one tensor ({r.LoadedBytes / 1e6:F0} MB): {r.LoadOneMilliseconds:F1} ms
                    RSS before open: {r.RssBeforeBytes
                        / 1e6:F0} MB; peak RSS after open+load: {r.PeakRssAfterBytes
                        / 1e6:F0} MB (+{(r.PeakRssAfterBytes - r.RssBeforeBytes) / 1e6:F0} MB){(
                        r.PeakWasReset ? "" : " (peak not resettable: includes writing)"
                    )}
                    """
                )
            );
            return 0;
        });
        return command;
    }
}
