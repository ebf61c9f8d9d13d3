using EvoMerge.Merging;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Merging;

/// <summary>
/// The device-independent DARE/DELLA masks: the integer tensor-op form of the counter hash (what
/// CUDA runs) against the CPU's SIMD loop, bit for bit. Run here on the CPU; a GPU run of the same
/// tests pins CUDA.
/// </summary>
public sealed class CounterMaskTensorTests
{
    static Device TestDevice =>
        Environment.GetEnvironmentVariable("EVOMERGE_TEST_DEVICE") is { Length: > 0 } d
            ? new Device(d)
            : CPU;

    public static TheoryData<long, int> Ranges() =>
        new()
        {
            { 0, 1000 },
            { 13, 37 }, // unaligned start, ragged SIMD tail
            { (1L << 32) - 5, 21 }, // crosses a 2³² block: the keys change inside the range
            { 3 * (1L << 32) + 7, 64 },
        };

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Tensor_draws_equal_the_scalar_hash(long start, int count)
    {
        var mask = new CounterMask(42, "model.layers.3.mlp.up_proj.weight", 2);
        using var draws = mask.DrawTensor(start, count, TestDevice);
        var got = draws.cpu().data<long>().ToArray();
        for (int i = 0; i < count; i++)
            Assert.Equal((long)mask.Draw(start + i), got[i]);
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Tensor_keep_mask_equals_the_simd_mask_bit_for_bit(long start, int count)
    {
        foreach (var p in new[] { 0.0, 0.01, 0.3, 0.5, 0.9, 0.999999, 1.0 })
        {
            var mask = new CounterMask(7, "lm_head.weight", 0);
            var simd = Enumerable.Repeat(1f, count).ToArray();
            mask.Apply(simd, start, p); // the Vector256 path the CPU merge takes
            using var keep = mask.KeepTensor(start, count, p, TestDevice);
            var tensorMask = keep.cpu().to_type(ScalarType.Float32).data<float>().ToArray();
            Assert.Equal(simd, tensorMask);
        }
    }

    [Theory]
    [MemberData(nameof(Ranges))]
    public void Tensor_della_mask_equals_the_cpu_fill(long start, int count)
    {
        var mask = new CounterMask(3, "model.embed_tokens.weight", 1);
        var generator = new Generator(5);
        using var p = rand([count], generator: generator);
        var cpu = new float[count];
        mask.Fill(cpu, p.data<float>().ToArray(), start);
        using var keep = mask.KeepTensor(start, p.to(TestDevice));
        Assert.Equal(cpu, keep.cpu().to_type(ScalarType.Float32).data<float>().ToArray());
    }

    [Theory]
    [InlineData("dare_ties")]
    [InlineData("dare_linear_l1")]
    [InlineData("della")]
    public void Kernel_with_tensor_masks_equals_the_cpu_masks_bit_for_bit(string name)
    {
        var op = KernelTests.Named(name);
        var generator = new Generator(11);
        using var scope = NewDisposeScope();
        var inputs = Enumerable
            .Range(0, 4)
            .Select(_ => randn([37, 1290], generator: generator) * 0.02)
            .ToArray();
        // One chunk size for both (the L1 rescale sums its norms per chunk); 2 rows per chunk, so
        // the masks must line up across chunk boundaries (the draws above cover arbitrary starts).
        using var cpuMasks = new MergeScratch(
            CPU,
            chunkElements: 2580,
            backend: KernelBackend.TorchOps
        );
        using var tensorMasks = new MergeScratch(
            TestDevice,
            chunkElements: 2580,
            backend: KernelBackend.TorchOps
        )
        {
            TensorMasks = true,
        };
        var expected = empty(inputs[0].shape);
        var got = empty(inputs[0].shape, device: TestDevice);
        TaskArithmeticKernel.Run(
            op,
            inputs,
            expected,
            cpuMasks,
            9,
            "model.layers.0.mlp.up_proj.weight"
        );
        TaskArithmeticKernel.Run(
            op,
            inputs.Select(t => t.to(TestDevice)).ToArray(),
            got,
            tensorMasks,
            9,
            "model.layers.0.mlp.up_proj.weight"
        );
        // The masks are identical; on the CPU the arithmetic is too, so the bits are.
        if (TestDevice.type == DeviceType.CPU)
            Assert.True(expected.bytes.SequenceEqual(got.bytes), $"{name}: outputs differ");
        else
            Assert.True((expected - got.cpu()).abs().max().item<float>() <= 1e-6);
        Assert.False((expected == inputs[0]).all().item<bool>());
    }
}
