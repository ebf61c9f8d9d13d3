using System.Diagnostics;
using EvoMerge.Checkpoints.Safetensors;
using static TorchSharp.torch;

namespace EvoMerge.Benchmarks;

/// <summary>What opening a big checkpoint and loading one tensor cost (resident memory from /proc/self/status).</summary>
public sealed record LoadBenchmarkResult(
    long CheckpointBytes,
    int Tensors,
    int Shards,
    double WriteSeconds,
    double OpenMilliseconds,
    double LoadOneMilliseconds,
    long LoadedBytes,
    long RssBeforeBytes,
    long PeakRssAfterBytes,
    bool PeakWasReset
);

/// <summary>
/// Writes a multi-GB random float32 checkpoint, then opens it (headers only) and loads one tensor:
/// lazy loading must keep the peak resident memory near one tensor, not the checkpoint. The
/// checkpoint is deleted afterwards.
/// </summary>
public static class LoadBenchmark
{
    public static LoadBenchmarkResult Run(
        string folder,
        long totalBytes = 2_500_000_000,
        int tensors = 40,
        long maxShardBytes = 1_000_000_000
    )
    {
        const long Columns = 1024;
        long rows = totalBytes / tensors / 4 / Columns;
        var plan = Enumerable
            .Range(0, tensors)
            .Select(i => new TensorSpec(
                $"layers.{i}.weight",
                SafetensorsDtype.F32,
                new long[] { rows, Columns }
            ))
            .ToList();
        try
        {
            var clock = Stopwatch.StartNew();
            int shards;
            using (var scope = NewDisposeScope())
            {
                var buffer = randn([rows, Columns]); // reused for every tensor: content does not matter here
                using var writer = new CheckpointWriter(folder, plan, maxShardBytes);
                foreach (var spec in plan)
                    writer.Write(spec.Name, buffer);
                writer.Commit();
                shards = writer.ShardFileNames.Count;
            }
            double writeSeconds = clock.Elapsed.TotalSeconds;
            GC.Collect();
            bool reset = ProcessMemory.ResetPeak();
            long before = ProcessMemory.Bytes("VmRSS");

            clock.Restart();
            using var reader = CheckpointReader.Open(folder);
            double openMs = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            var last = plan[^1].Name;
            double checksum;
            using (var tensor = reader.Load(last))
                checksum = tensor.sum().item<float>();
            double loadMs = clock.Elapsed.TotalMilliseconds;
            _ = checksum;
            long peak = ProcessMemory.Bytes("VmHWM");
            return new(
                plan.Sum(p => p.ByteLength),
                tensors,
                shards,
                writeSeconds,
                openMs,
                loadMs,
                plan[^1].ByteLength,
                before,
                peak,
                reset
            );
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }
}
