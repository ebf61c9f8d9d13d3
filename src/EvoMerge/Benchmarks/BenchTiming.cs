using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Benchmarks;

/// <summary>How every benchmark times: wall clock around device work, medians after a warm-up.</summary>
internal static class BenchTiming
{
    /// <summary>
    /// Seconds one call of <paramref name="action"/> takes; on CUDA the device is synchronized before
    /// and after, so queued kernels are neither charged to it nor left out.
    /// </summary>
    public static double Seconds(Device device, Action action)
    {
        Sync(device);
        var clock = Stopwatch.StartNew();
        action();
        Sync(device);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>One untimed warm-up sample (allocator, kernels, caches), then the median of <paramref name="repeats"/> samples.</summary>
    public static double Median(int repeats, Func<double> sample)
    {
        if (repeats <= 0)
            throw new ArgumentOutOfRangeException(nameof(repeats), repeats, "must be positive");
        sample();
        var xs = Enumerable.Range(0, repeats).Select(_ => sample()).Order().ToArray();
        return xs.Length % 2 == 1
            ? xs[xs.Length / 2]
            : (xs[xs.Length / 2 - 1] + xs[xs.Length / 2]) / 2;
    }

    /// <summary>The median seconds of <paramref name="action"/> over <paramref name="repeats"/> calls after a warm-up call.</summary>
    public static double MedianSeconds(Device device, int repeats, Action action) =>
        Median(repeats, () => Seconds(device, action));

    static void Sync(Device device)
    {
        if (device.type == DeviceType.CUDA)
            cuda.synchronize(device);
    }
}
