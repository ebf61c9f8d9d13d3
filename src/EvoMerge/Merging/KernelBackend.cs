using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// Which kernel runs a task-arithmetic merge (TIES, DARE, breadcrumbs, DELLA, …). Both compute the
/// same float32 operations: <see cref="TaskArithmeticKernel"/>'s torch ops are the specification and
/// run on every device; <see cref="FusedTaskArithmetic"/> is its one-pass SIMD fast path on the CPU.
/// </summary>
public enum KernelBackend
{
    /// <summary>The fused CPU kernel where it applies (<see cref="KernelBackends.FusedApplies"/>), torch ops otherwise.</summary>
    Auto,

    /// <summary>The fused CPU kernel; a tensor it cannot take is refused, never silently sent elsewhere.</summary>
    Fused,

    /// <summary>The torch-op kernel (the specification) everywhere.</summary>
    TorchOps,
}

/// <summary>The one place a task-arithmetic tensor's kernel is chosen.</summary>
public static class KernelBackends
{
    /// <summary>
    /// The kernel that merges <paramref name="output"/>: <see cref="KernelBackend.Fused"/> or
    /// <see cref="KernelBackend.TorchOps"/>, never <see cref="KernelBackend.Auto"/>. Throws when
    /// <see cref="KernelBackend.Fused"/> is asked for and the fused kernel cannot take the tensor.
    /// </summary>
    public static KernelBackend Choose(
        KernelBackend requested,
        TaskArithmeticOperation op,
        IReadOnlyList<Tensor> inputs,
        Tensor output,
        MergeScratch scratch
    ) =>
        output.numel() == 0
            ? KernelBackend.TorchOps // nothing to compute
            : requested switch
            {
                KernelBackend.TorchOps => KernelBackend.TorchOps,
                KernelBackend.Auto => FusedApplies(op, inputs, output, scratch) is null
                    ? KernelBackend.Fused
                    : KernelBackend.TorchOps,
                KernelBackend.Fused => FusedApplies(op, inputs, output, scratch) is { } why
                    ? throw new InvalidOperationException(
                        $"kernel backend fused: the fused CPU kernel cannot merge this tensor ({why}); use auto or torch-ops"
                    )
                    : KernelBackend.Fused,
                _ => throw new ArgumentOutOfRangeException(nameof(requested), requested, null),
            };

    /// <summary>
    /// Null when the fused kernel can merge the tensor: CPU, float32 arithmetic, a classic operation
    /// other than DELLA, contiguous float32/bfloat16 tensors of one size, and 256-bit SIMD;
    /// otherwise the first reason it cannot.
    /// </summary>
    public static string? FusedApplies(
        TaskArithmeticOperation op,
        IReadOnlyList<Tensor> inputs,
        Tensor output,
        MergeScratch scratch
    )
    {
        if (scratch.Device.type != DeviceType.CPU)
            return $"device {scratch.Device}";
        if (scratch.ComputeDtype != ScalarType.Float32)
            return $"compute dtype {scratch.ComputeDtype}";
        if (op.Sparsification == Sparsification.Della)
            return "DELLA sparsification";
        if (!op.IsClassic)
            return "an operation beyond TIES/DARE/breadcrumbs";
        if (!Vector256.IsHardwareAccelerated)
            return "no 256-bit SIMD";
        long n = output.numel();
        foreach (var t in inputs.Append(output))
            if (
                t.device_type != DeviceType.CPU
                || t.dtype is not (ScalarType.Float32 or ScalarType.BFloat16)
                || !t.is_contiguous()
                || t.numel() != n
            )
                return $"a {t.dtype} tensor on {t.device} (needs contiguous float32 or bfloat16 on the CPU, all of one size)";
        return null;
    }
}
