using System.Diagnostics;
using EvoMerge.Merging;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Benchmarks;

/// <summary>One way to find the k-th largest value: its seconds (one timed call after a warm-up) and the value it found.</summary>
public sealed record ThresholdTiming(string Method, double Seconds, double Value);

/// <summary>The three timings of <see cref="ThresholdBenchmark.Run"/>, in the order run.</summary>
public sealed record ThresholdBenchmarkResult(
    long Elements,
    long K,
    ThresholdTiming TopK,
    ThresholdTiming KthValue,
    ThresholdTiming Sort
);

/// <summary>
/// The magnitude threshold (<see cref="MagnitudeThreshold.KthLargest"/>) against libtorch's
/// kthvalue and a full sort, on uniform random values (a benchmark, not a test).
/// </summary>
public static class ThresholdBenchmark
{
    public static ThresholdBenchmarkResult Run(long elements, double density, Device device)
    {
        long k = (long)(density * elements);
        using var values = rand([elements], device: device, generator: new Generator(1, device));
        ThresholdTiming Time(string method, Func<double> find)
        {
            find(); // warm-up
            var clock = Stopwatch.StartNew();
            double value = find();
            if (device.type == DeviceType.CUDA)
                cuda.synchronize(device);
            return new(method, clock.Elapsed.TotalSeconds, value);
        }
        return new(
            elements,
            k,
            Time("topk-based", () => MagnitudeThreshold.KthLargest(values, k)),
            Time(
                "kthvalue",
                () =>
                {
                    using var scope = NewDisposeScope();
                    return values.kthvalue(elements - k + 1, 0).values.item<float>();
                }
            ),
            Time(
                "sort",
                () =>
                {
                    using var scope = NewDisposeScope();
                    return values.sort(descending: true).Values[k - 1].item<float>();
                }
            )
        );
    }
}
