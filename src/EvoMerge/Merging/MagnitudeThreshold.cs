using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// The k-th largest value of a flat non-negative tensor, for magnitude trimming. Keeping
/// "|x| ≥ threshold" selects the same elements as mergekit's argsort-and-take-k except among
/// exact ties at the threshold (all kept). Uses topk on the smaller side (never sort or kthvalue,
/// which are far slower on large tensors); reductions stay on the device.
/// </summary>
public static class MagnitudeThreshold
{
    /// <summary>The k-th largest element (1-based) of <paramref name="values"/>; +∞ when k ≤ 0, −∞ when k ≥ numel.</summary>
    public static double KthLargest(Tensor values, long k)
    {
        long n = values.numel();
        if (k <= 0)
            return double.PositiveInfinity;
        if (k >= n)
            return double.NegativeInfinity;
        using var scope = NewDisposeScope();
        if (k <= n / 2)
        {
            var (top, _) = values.topk((int)k, dim: 0, largest: true, sorted: false);
            return top.min().to_type(ScalarType.Float64).item<double>();
        }
        var (bottom, _) = values.topk((int)(n - k + 1), dim: 0, largest: false, sorted: false);
        return bottom.max().to_type(ScalarType.Float64).item<double>();
    }
}
