using System.CommandLine;
using System.Globalization;
using EvoMerge.Benchmarks;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Options;
using EvoMerge.Runtime;
using static TorchSharp.torch;

namespace EvoMerge.Cli.Commands;

/// <summary>
/// `evomerge bench ...`: speed measurements (never unit tests). A parent command so other
/// benchmarks (e.g. `bench forward`) add their own subcommands beside `merge`.
/// </summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks.");
        bench.Subcommands.Add(MergeBench());
        bench.Subcommands.Add(StreamBench());
        bench.Subcommands.Add(ModelBenchCommands.Forward());
        bench.Subcommands.Add(ModelBenchCommands.Load());
        bench.Subcommands.Add(Bench.GenerateBenchCommand.Create());
        bench.Subcommands.Add(ThresholdBench());
        bench.Subcommands.Add(Bench.ClusterBenchCommand.Create());
        return bench;
    }

    static Command MergeBench()
    {
        var shape = new Option<string>("--shape")
        {
            Description = BenchShapes.Help,
            DefaultValueFactory = _ => "llama-1b",
        };
        var sources = new Option<int>("--sources")
        {
            Description = "models merged onto the base",
            DefaultValueFactory = _ => 3,
        };
        var method = new Option<string>("--method")
        {
            Description = "dare_ties | ties | task_arithmetic | ...",
            DefaultValueFactory = _ => "dare_ties",
        };
        var layers = new Option<int?>("--layers")
        {
            Description = "decoder layers (default: the shape's)",
        };
        var runs = new Option<int>("--runs")
        {
            Description = "timed runs (median reported)",
            DefaultValueFactory = _ => 5,
        };
        var chunk = new Option<long?>("--chunk")
        {
            Description = "kernel chunk elements (default: the device's)",
        };
        var command = new Command(
            "merge",
            "Time the in-memory merge path on random weights generated on the device; compare with a plain sum and a plain copy of the same source bytes."
        );
        foreach (var o in new Option[] { shape, sources, method, layers, runs, chunk })
            command.Options.Add(o);
        var runtime = RuntimeOptions.AddTo(
            command,
            RuntimeOption.Device | RuntimeOption.Dtype | RuntimeOption.Threads
        );
        command.SetAction(parse =>
        {
            var settings = runtime.Initialize(parse);
            var dev = settings.Device;
            var options = new MergeBenchmarkOptions
            {
                Shape = parse.GetValue(shape)!,
                Layers = parse.GetValue(layers),
                Sources = parse.GetValue(sources),
                Method = parse.GetValue(method)!,
                Dtype = settings.Dtype!.Value.ToHfName(),
                Runs = parse.GetValue(runs),
                Chunk = parse.GetValue(chunk),
            };
            Print(options, MergeBenchmark.Run(options, dev), dev);
            return 0;
        });
        return command;
    }

    static void Print(MergeBenchmarkOptions o, MergeBenchmarkResult r, Device device)
    {
        double gb = r.SourceBytes / 1e9;
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(
            string.Create(
                ci,
                $"bench merge: shape {o.Shape} ({r.Layers} layers, {r.ModelParameters / 1e9:F3}B params/model), {o.Sources} sources + base, {o.Method}, {r.Storage} on {device}, chunk {o.Chunk?.ToString(ci) ?? "default"}, threads {get_num_threads()}"
            )
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  source bytes per merge: {gb:F2} GB; median of {o.Runs} runs after warm-up"
            )
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  {o.Method, -16} {r.MergeSeconds, 8:F3} s  {r.GigabytesPerSecond(r.MergeSeconds), 7:F2} GB/s"
            )
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  {"plain sum", -16} {r.SumSeconds, 8:F3} s  {r.GigabytesPerSecond(r.SumSeconds), 7:F2} GB/s   merge/sum throughput = {r.SumSeconds / r.MergeSeconds:P0}"
            )
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  {"plain copy", -16} {r.CopySeconds, 8:F3} s  {r.GigabytesPerSecond(r.CopySeconds), 7:F2} GB/s   merge/copy throughput = {r.CopySeconds / r.MergeSeconds:P0}"
            )
        );
    }

    static Command ThresholdBench()
    {
        var elements = new Option<long>("--elements") { DefaultValueFactory = _ => 1L << 24 };
        var density = new Option<double>("--density") { DefaultValueFactory = _ => 0.3 };
        var command = new Command(
            "threshold",
            "Time the magnitude threshold (topk on the smaller side) against kthvalue and a full sort."
        );
        foreach (var o in new Option[] { elements, density })
            command.Options.Add(o);
        var runtime = RuntimeOptions.AddTo(command, RuntimeOption.Device);
        command.SetAction(parse =>
        {
            var dev = runtime.Initialize(parse).Device;
            var r = ThresholdBenchmark.Run(parse.GetValue(elements), parse.GetValue(density), dev);
            foreach (var timing in new[] { r.TopK, r.KthValue, r.Sort })
                Console.WriteLine(
                    string.Create(CultureInfo.InvariantCulture, $"    value {timing.Value:R}")
                );
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"bench threshold: {r.Elements} elements, k = {r.K}, {dev}: {r.TopK.Method} {r.TopK.Seconds:F3} s, {r.KthValue.Method} {r.KthValue.Seconds:F3} s, {r.Sort.Method} {r.Sort.Seconds:F3} s"
                )
            );
            return 0;
        });
        return command;
    }

    static Command StreamBench()
    {
        var size = new Option<double>("--size-gb")
        {
            Description = "approximate size of each generated checkpoint",
            DefaultValueFactory = _ => 1.0,
        };
        var sources = new Option<int>("--sources")
        {
            Description = "models merged onto the base",
            DefaultValueFactory = _ => 3,
        };
        var dir = new Option<string>("--dir")
        {
            Description = "scratch folder (deleted afterwards)",
            DefaultValueFactory = _ => Path.Combine(Path.GetTempPath(), "evomerge-stream-bench"),
        };
        var method = new Option<string>("--method") { DefaultValueFactory = _ => "dare_ties" };
        var command = new Command(
            "merge-stream",
            "Generate bf16 checkpoints of about --size-gb each, merge them from disk to disk, report time and peak resident memory; delete the files."
        );
        foreach (var o in new Option[] { size, sources, dir, method })
            command.Options.Add(o);
        command.SetAction(parse =>
        {
            TorchRuntime.Initialize();
            var r = MergeStreamBenchmark.Run(
                parse.GetValue(dir)!,
                parse.GetValue(size),
                parse.GetValue(sources),
                parse.GetValue(method)!
            );
            Print(r, parse.GetValue(method)!);
            return 0;
        });
        return command;
    }

    static void Print(MergeStreamBenchmarkResult r, string method)
    {
        const double MB = 1024.0 * 1024.0;
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(
            string.Create(
                ci,
                $"bench merge-stream: {r.Sources} sources + base, {r.BytesPerModel / 1e9:F2} GB each (bf16, {r.Layers} layers), {method} on cpu"
            )
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  generate {r.GenerateSeconds:F1} s; merge {r.MergeSeconds:F1} s ({r.GigabytesPerSecond:F2} GB/s of source bytes)"
            )
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  peak RSS during merge (VmHWM, reset before): {r.PeakRssBytes / MB:F0} MB (at reset {r.RssAtResetBytes / MB:F0} MB); peak anonymous RSS sampled: {r.PeakAnonymousBytes / MB:F0} MB"
            )
        );
    }
}
