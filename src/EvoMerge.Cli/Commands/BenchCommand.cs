using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Options;
using EvoMerge.Common;
using EvoMerge.Merging;
using EvoMerge.Recipes;
using EvoMerge.Runtime;
using TorchSharp;
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

    /// <summary>Decoder tensor shapes of a model family (one layer's worth plus the non-layer tensors).</summary>
    sealed record Shape(int Hidden, int Intermediate, int KvWidth, int Vocab, int Layers, bool Tied)
    {
        public static Shape Named(string name) =>
            name switch
            {
                "mistral-7b" => new(4096, 14336, 1024, 32000, 32, false),
                "llama-1b" => new(2048, 8192, 512, 128256, 16, true),
                "tiny" => new(64, 160, 32, 512, 4, false),
                _ => throw new ArgumentException(
                    $"--shape {name}: expected mistral-7b, llama-1b or tiny"
                ),
            };

        public IEnumerable<(string Name, long[] Shape)> LayerTensors(int layer)
        {
            var p = $"model.layers.{layer}.";
            yield return (p + "input_layernorm.weight", [Hidden]);
            yield return (p + "self_attn.q_proj.weight", [Hidden, Hidden]);
            yield return (p + "self_attn.k_proj.weight", [KvWidth, Hidden]);
            yield return (p + "self_attn.v_proj.weight", [KvWidth, Hidden]);
            yield return (p + "self_attn.o_proj.weight", [Hidden, Hidden]);
            yield return (p + "post_attention_layernorm.weight", [Hidden]);
            yield return (p + "mlp.gate_proj.weight", [Intermediate, Hidden]);
            yield return (p + "mlp.up_proj.weight", [Intermediate, Hidden]);
            yield return (p + "mlp.down_proj.weight", [Hidden, Intermediate]);
        }

        public IEnumerable<(string Name, long[] Shape)> All(int layers)
        {
            yield return ("model.embed_tokens.weight", [Vocab, Hidden]);
            for (int i = 0; i < layers; i++)
                foreach (var t in LayerTensors(i))
                    yield return t;
            yield return ("model.norm.weight", [Hidden]);
            if (!Tied)
                yield return ("lm_head.weight", [Vocab, Hidden]);
        }
    }

    static MergeRecipe Recipe(string method, int sources) =>
        MergeRecipe.ForModels(
            method,
            "base",
            Enumerable
                .Range(0, sources)
                .Select(i => new RecipeModel(
                    $"m{i}",
                    ParameterMap.Of(
                        ("weight", ParameterValue.Of(0.3 + 0.2 * i)),
                        ("density", ParameterValue.Of(0.4 + 0.15 * i))
                    )
                ))
        );

    static Command MergeBench()
    {
        var shape = new Option<string>("--shape")
        {
            Description = "mistral-7b | llama-1b | tiny",
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
            var storage = settings.Dtype!.Value;
            var s = Shape.Named(parse.GetValue(shape)!);
            int layerCount = parse.GetValue(layers) ?? s.Layers;
            int count = parse.GetValue(sources);
            RunMergeBench(
                s,
                layerCount,
                count,
                parse.GetValue(method)!,
                dev,
                storage,
                parse.GetValue(runs),
                parse.GetValue(chunk),
                parse.GetValue(shape)!
            );
            return 0;
        });
        return command;
    }

    static void RunMergeBench(
        Shape shape,
        int layers,
        int count,
        string method,
        Device device,
        ScalarType storage,
        int runs,
        long? chunk,
        string shapeName
    )
    {
        // Layers share storage (one random layer per model, aliased under every layer name) so a
        // 7B shape fits in memory; every layer is still read and merged, so the bytes are real.
        var generator = new Generator(1234, device);
        var models = new Dictionary<string, IReadOnlyDictionary<string, Tensor>>();
        var owned = new List<Tensor>();
        Tensor Random(long[] dims)
        {
            var t = randn(dims, storage, device, generator: generator)
                .mul_(0.02)
                .DetachFromDisposeScope();
            owned.Add(t);
            return t;
        }
        var names = new List<string> { "base" };
        names.AddRange(Enumerable.Range(0, count).Select(i => $"m{i}"));
        foreach (var model in names)
        {
            var layer = shape
                .LayerTensors(0)
                .ToDictionary(t => t.Name["model.layers.0.".Length..], t => Random(t.Shape));
            var tensors = new Dictionary<string, Tensor>();
            foreach (var (name, dims) in shape.All(layers))
            {
                int index = ModelInventory.LayerIndex(name);
                tensors[name] =
                    index >= 0 ? layer[name[$"model.layers.{index}.".Length..]] : Random(dims);
            }
            models[model] = tensors;
        }
        var targetLayer = shape
            .LayerTensors(0)
            .ToDictionary(t => t.Name["model.layers.0.".Length..], t => Random(t.Shape));
        var target = new Dictionary<string, Tensor>();
        foreach (var (name, dims) in shape.All(layers))
        {
            int index = ModelInventory.LayerIndex(name);
            target[name] =
                index >= 0 ? targetLayer[name[$"model.layers.{index}.".Length..]] : Random(dims);
        }
        long elements = target.Values.Sum(t => t.numel()); // aliased layers count once here…
        long modelElements = shape.All(layers).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b)); // …but every layer is processed
        long sourceBytes = modelElements * (count + 1) * storage.ElementSize();
        var recipe = Recipe(method, count);
        var merger = new InMemoryMerger(
            models,
            target,
            new MergeOptions(device, Seed: 1, ChunkElements: chunk)
        );
        void Sync()
        {
            if (device.type == DeviceType.CUDA)
                cuda.synchronize(device);
        }
        double Time(Action action)
        {
            action(); // warm-up
            Sync();
            var times = new List<double>();
            for (int r = 0; r < runs; r++)
            {
                var sw = Stopwatch.StartNew();
                action();
                Sync();
                times.Add(sw.Elapsed.TotalSeconds);
            }
            times.Sort();
            return times[times.Count / 2];
        }
        var order = shape.All(layers).Select(t => t.Name).ToList();
        double merge = Time(() => merger.Merge(recipe));
        double sum = Time(() =>
        {
            using var noGrad = no_grad();
            foreach (var name in order)
            {
                var o = target[name];
                o.copy_(models["base"][name]);
                foreach (var m in names.Skip(1))
                    o.add_(models[m][name]);
            }
        });
        double copy = Time(() =>
        {
            foreach (var name in order)
            foreach (var m in names)
                target[name].copy_(models[m][name]);
        });
        double gb = sourceBytes / 1e9;
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(
            string.Create(
                ci,
                $"bench merge: shape {shapeName} ({layers} layers, {modelElements / 1e9:F3}B params/model), {count} sources + base, {method}, {storage.ToHfName()} on {device}, chunk {chunk?.ToString(ci) ?? "default"}, threads {get_num_threads()}"
            )
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  source bytes per merge: {gb:F2} GB; median of {runs} runs after warm-up"
            )
        );
        Console.WriteLine(
            string.Create(ci, $"  {method, -16} {merge, 8:F3} s  {gb / merge, 7:F2} GB/s")
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  {"plain sum", -16} {sum, 8:F3} s  {gb / sum, 7:F2} GB/s   merge/sum throughput = {sum / merge:P0}"
            )
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  {"plain copy", -16} {copy, 8:F3} s  {gb / copy, 7:F2} GB/s   merge/copy throughput = {copy / merge:P0}"
            )
        );
        merger.Dispose();
        foreach (var t in owned)
            t.Dispose();
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
            long n = parse.GetValue(elements);
            long k = (long)(parse.GetValue(density) * n);
            using var values = rand([n], device: dev, generator: new Generator(1, dev));
            double Time(Func<double> f)
            {
                f();
                var sw = Stopwatch.StartNew();
                double v = f();
                if (dev.type == DeviceType.CUDA)
                    cuda.synchronize(dev);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    value {v:R}"));
                return sw.Elapsed.TotalSeconds;
            }
            double topk = Time(() => MagnitudeThreshold.KthLargest(values, k));
            double kth = Time(() =>
            {
                using var scope = NewDisposeScope();
                return values.kthvalue(n - k + 1, 0).values.item<float>();
            });
            double sort = Time(() =>
            {
                using var scope = NewDisposeScope();
                return values.sort(descending: true).Values[k - 1].item<float>();
            });
            Console.WriteLine(
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"bench threshold: {n} elements, k = {k}, {dev}: topk-based {topk:F3} s, kthvalue {kth:F3} s, sort {sort:F3} s"
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
            var root = parse.GetValue(dir)!;
            Directory.CreateDirectory(root);
            try
            {
                RunStreamBench(
                    root,
                    parse.GetValue(size),
                    parse.GetValue(sources),
                    parse.GetValue(method)!
                );
            }
            finally
            {
                Directory.Delete(root, recursive: true);
            }
            return 0;
        });
        return command;
    }

    static void RunStreamBench(string root, double sizeGb, int count, string method)
    {
        // llama-1b layer shapes with a 32k vocabulary, as many layers as make about sizeGb in bf16.
        var shape = new Shape(2048, 8192, 512, 32000, 0, false);
        long perLayer = shape.LayerTensors(0).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
        long fixedPart = 2L * shape.Vocab * shape.Hidden + shape.Hidden;
        int layers = Math.Max(1, (int)((sizeGb * 1e9 / 2 - fixedPart) / perLayer));
        var names = new List<string> { "base" };
        names.AddRange(Enumerable.Range(0, count).Select(i => $"m{i}"));
        var generator = new Generator(7);
        var gen = Stopwatch.StartNew();
        foreach (var model in names)
        {
            var specs = shape
                .All(layers)
                .Select(t => new TensorSpec(t.Name, SafetensorsDtype.BF16, t.Shape))
                .ToList();
            using var writer = new CheckpointWriter(Path.Combine(root, model), specs);
            foreach (var (name, dims) in shape.All(layers))
            {
                using var scope = NewDisposeScope();
                writer.Write(
                    name,
                    randn(dims, ScalarType.BFloat16, generator: generator).mul_(0.02)
                );
            }
            writer.AddText(
                "config.json",
                // A complete config (head_dim 128), so the merge's source checks accept it.
                $"{{\"model_type\": \"llama\", \"hidden_size\": {shape.Hidden}, \"intermediate_size\": {shape.Intermediate}, \"num_attention_heads\": {shape.Hidden / 128}, \"num_key_value_heads\": {shape.KvWidth / 128}, \"num_hidden_layers\": {layers}, \"vocab_size\": {shape.Vocab}, \"torch_dtype\": \"bfloat16\"}}\n"
            );
            writer.Commit();
        }
        gen.Stop();
        long bytes = Directory
            .GetFiles(Path.Combine(root, "base"))
            .Sum(f => new FileInfo(f).Length);
        var recipePath = Path.Combine(root, "recipe.yaml");
        RecipeYaml.Save(Recipe(method, count), recipePath);
        GC.Collect();
        ResetPeakRss();
        long before = ReadStatus("VmHWM");
        var sw = Stopwatch.StartNew();
        long peakAnon = 0;
        using var cts = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!cts.IsCancelled())
            {
                peakAnon = Math.Max(peakAnon, ReadStatus("RssAnon"));
                await Task.Delay(20);
            }
        });
        MergeExecutor.Run(
            RecipeYaml.Load(recipePath),
            Path.Combine(root, "merged"),
            MergeOptions.Cpu with
            {
                Seed = 1,
            }
        );
        sw.Stop();
        cts.Cancel();
        sampler.Wait();
        long peak = ReadStatus("VmHWM");
        var ci = CultureInfo.InvariantCulture;
        Console.WriteLine(
            string.Create(
                ci,
                $"bench merge-stream: {count} sources + base, {bytes / 1e9:F2} GB each (bf16, {layers} layers), {method} on cpu"
            )
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  generate {gen.Elapsed.TotalSeconds:F1} s; merge {sw.Elapsed.TotalSeconds:F1} s ({bytes * (count + 1) / 1e9 / sw.Elapsed.TotalSeconds:F2} GB/s of source bytes)"
            )
        );
        Console.WriteLine(
            string.Create(
                ci,
                $"  peak RSS during merge (VmHWM, reset before): {peak / 1024.0:F0} MB (at reset {before / 1024.0:F0} MB); peak anonymous RSS sampled: {peakAnon / 1024.0:F0} MB"
            )
        );
    }

    static bool IsCancelled(this CancellationTokenSource cts) => cts.IsCancellationRequested;

    /// <summary>Linux: writing 5 to clear_refs resets VmHWM to the current RSS.</summary>
    static void ResetPeakRss()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    /// <summary>A kB field of /proc/self/status.</summary>
    static long ReadStatus(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field + ":", StringComparison.Ordinal))
                return long.Parse(
                    line[(field.Length + 1)..].Trim().Split(' ')[0],
                    CultureInfo.InvariantCulture
                );
        return 0;
    }
}
