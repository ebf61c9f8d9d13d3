using EvoMerge.Benchmarks;
using EvoMerge.Common;
using EvoMerge.Models;
using EvoMerge.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Benchmarks;

/// <summary>The library benchmarks on the tiny preset: real tensors, real files, numbers that add up.</summary>
public class BenchmarkTests
{
    static long Elements(EvoMerge.Checkpoints.Config.HfConfig config) =>
        ModelShapes.Of(config).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));

    [Fact]
    public void Median_drops_the_warm_up_and_averages_an_even_middle()
    {
        var odd = new Queue<double>([100, 3, 1, 2]);
        Assert.Equal(2, BenchTiming.Median(3, odd.Dequeue));
        Assert.Empty(odd);
        var even = new Queue<double>([100, 4, 1, 3, 2]);
        Assert.Equal(2.5, BenchTiming.Median(4, even.Dequeue));
    }

    [Fact]
    public void Threshold_methods_find_the_same_value()
    {
        var r = ThresholdBenchmark.Run(10_000, 0.3, CPU);
        Assert.Equal(3000, r.K);
        Assert.Equal(r.Sort.Value, r.TopK.Value);
        Assert.Equal(r.Sort.Value, r.KthValue.Value);
        Assert.InRange(r.TopK.Value, 0.6, 0.8); // uniform [0, 1): the 30 % quantile from the top
        Assert.All(new[] { r.TopK, r.KthValue, r.Sort }, t => Assert.True(t.Seconds > 0));
    }

    [Fact]
    public void Merge_bench_reads_every_layer_of_every_model()
    {
        var options = new MergeBenchmarkOptions
        {
            Shape = "tiny",
            Layers = 2,
            Sources = 2,
            Method = "dare_ties",
            Runs = 1,
        };
        var r = MergeBenchmark.Run(options, CPU);
        long elements = Elements(BenchShapes.Get("tiny").WithLayers(2));
        Assert.Equal(2, r.Layers);
        Assert.Equal(elements, r.ModelParameters);
        Assert.Equal("bfloat16", r.Storage);
        Assert.Equal(elements * 3 * 2, r.SourceBytes); // base + 2 sources, 2 bytes each
        Assert.True(r.MergeSeconds > 0 && r.SumSeconds > 0 && r.CopySeconds > 0);
        Assert.Equal(r.SourceBytes / 1e9 / r.MergeSeconds, r.GigabytesPerSecond(r.MergeSeconds));
    }

    [Fact]
    public void Forward_bench_runs_the_shape_with_the_layers_asked()
    {
        var r = ForwardBenchmark.Run(
            new ForwardBenchmarkOptions
            {
                Shape = "tiny",
                Layers = 1,
                Batch = 2,
                SequenceLength = 8,
                NewTokens = 3,
                Repeats = 1,
            },
            CPU
        );
        Assert.Equal(Elements(BenchShapes.Get("tiny").WithLayers(1)), r.Parameters);
        Assert.Equal(2 * 8 / r.ForwardSeconds, r.ForwardTokensPerSecond, 6);
        Assert.Equal(2 * 2 / r.DecodeSeconds, r.DecodeTokensPerSecond, 6);
    }

    [Fact]
    public void Generate_bench_times_each_batch_size_in_order()
    {
        var seen = new List<int>();
        var (parameters, rows) = GenerateBenchmark.Run(
            new GenerateBenchmarkOptions
            {
                Shape = "tiny",
                Batches = ValueArray.Of(1, 3),
                PromptTokens = 5,
                NewTokens = 3,
                Repeats = 1,
            },
            CPU,
            row => seen.Add(row.Batch)
        );
        Assert.Equal(BenchShapes.Get("tiny").Parameters, parameters);
        Assert.Equal([1, 3], rows.Select(r => r.Batch));
        Assert.Equal([1, 3], seen);
        Assert.All(rows, r => Assert.True(r.PrefillSeconds > 0 && r.GenerateSeconds > 0));
    }

    [Fact]
    public void Load_bench_writes_opens_and_deletes_the_checkpoint()
    {
        using var temp = new TempFolder();
        var folder = Path.Combine(temp.Path, "checkpoint");
        var r = LoadBenchmark.Run(folder, totalBytes: 4 << 20, tensors: 4, maxShardBytes: 2 << 20);
        Assert.Equal(4, r.Tensors);
        Assert.Equal(2, r.Shards);
        Assert.Equal(4 << 20, r.CheckpointBytes);
        Assert.Equal(1 << 20, r.LoadedBytes);
        Assert.False(Directory.Exists(folder));
        if (OperatingSystem.IsLinux())
            Assert.True(r.RssBeforeBytes > 0 && r.PeakRssAfterBytes >= r.RssBeforeBytes);
    }

    [Fact]
    public void Process_memory_reads_proc_self_status_in_bytes()
    {
        Assert.Equal(0, ProcessMemory.Bytes("NoSuchField"));
        if (!OperatingSystem.IsLinux())
            return;
        long rss = ProcessMemory.Bytes("VmRSS");
        Assert.True(rss > 1 << 20, $"VmRSS {rss} bytes");
        Assert.Equal(0, rss % 1024);
        Assert.True(ProcessMemory.Bytes("VmHWM") >= rss / 2);
    }
}
