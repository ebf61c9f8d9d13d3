using System.Runtime.Intrinsics;
using EvoMerge.Merging;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Merging;

/// <summary><see cref="KernelBackends.Choose"/>: what Auto means, and an explicit choice is honoured or refused.</summary>
public sealed class KernelBackendTests
{
    public static TheoryData<string, KernelBackend, string, KernelBackend> Choices() =>
        new()
        {
            // requested, operation, tensors, expected
            { "ties_sum", KernelBackend.Auto, "float32", KernelBackend.Fused },
            { "dare_ties", KernelBackend.Auto, "bfloat16", KernelBackend.Fused },
            { "della", KernelBackend.Auto, "float32", KernelBackend.TorchOps },
            { "ties_sum", KernelBackend.Auto, "float64-compute", KernelBackend.TorchOps },
            { "ties_sum", KernelBackend.Auto, "transposed", KernelBackend.TorchOps },
            { "ties_sum", KernelBackend.Auto, "float16", KernelBackend.TorchOps },
            { "ties_sum", KernelBackend.Auto, "empty", KernelBackend.TorchOps },
            { "ties_sum", KernelBackend.TorchOps, "float32", KernelBackend.TorchOps },
            { "ties_sum", KernelBackend.Fused, "float32", KernelBackend.Fused },
            { "ties_sum", KernelBackend.Fused, "empty", KernelBackend.TorchOps },
        };

    static (Tensor[] Inputs, Tensor Output, MergeScratch Scratch) Case(
        string tensors,
        KernelBackend requested
    )
    {
        var dtype = tensors switch
        {
            "bfloat16" => ScalarType.BFloat16,
            "float16" => ScalarType.Float16,
            _ => ScalarType.Float32,
        };
        long[] shape = tensors == "empty" ? [0, 8] : [16, 8];
        var inputs = Enumerable.Range(0, 4).Select(_ => randn(shape).to_type(dtype)).ToArray();
        if (tensors == "transposed")
            inputs[2] = inputs[2].t().contiguous().t();
        var compute = tensors == "float64-compute" ? ScalarType.Float64 : ScalarType.Float32;
        var scratch = new MergeScratch(CPU, compute, chunkElements: 64, backend: requested);
        return (inputs, empty(shape, dtype), scratch);
    }

    [Theory]
    [MemberData(nameof(Choices))]
    public void Choose_picks_the_fused_kernel_exactly_where_it_applies(
        string operation,
        KernelBackend requested,
        string tensors,
        KernelBackend expected
    )
    {
        if (!Vector256.IsHardwareAccelerated)
            return; // without 256-bit SIMD the fused kernel never applies
        using var scope = NewDisposeScope();
        var (inputs, output, scratch) = Case(tensors, requested);
        using (scratch)
        {
            var op = KernelTests.Named(operation);
            Assert.Equal(expected, KernelBackends.Choose(requested, op, inputs, output, scratch));
            // Auto's choice is the fused kernel exactly when FusedApplies finds no reason against it.
            if (requested == KernelBackend.Auto && tensors != "empty")
                Assert.Equal(
                    expected == KernelBackend.Fused,
                    KernelBackends.FusedApplies(op, inputs, output, scratch) is null
                );
        }
    }

    [Theory]
    [InlineData("della", "float32", "DELLA")]
    [InlineData("ties_sum", "float16", "Float16")]
    [InlineData("ties_sum", "float64-compute", "compute dtype")]
    public void An_explicit_fused_request_it_cannot_take_is_refused_with_the_reason(
        string operation,
        string tensors,
        string reason
    )
    {
        using var scope = NewDisposeScope();
        var (inputs, output, scratch) = Case(tensors, KernelBackend.Fused);
        using (scratch)
        {
            var e = Assert.Throws<InvalidOperationException>(() =>
                TaskArithmeticKernel.Run(
                    KernelTests.Named(operation),
                    inputs,
                    output,
                    scratch,
                    1,
                    "model.layers.0.mlp.up_proj.weight"
                )
            );
            Assert.Contains(reason, e.Message);
        }
    }
}
