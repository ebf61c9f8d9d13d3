using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Merging;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Merging;

/// <summary>
/// The fused CPU fast path against the torch-op kernel it is the fast path of: every preset, on
/// random tensors written to and read back from a safetensors file, in bf16 and float32 storage.
/// </summary>
public sealed class FusedKernelTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-fused-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static readonly (string Name, long[] Shape)[] Shapes =
    [
        ("model.layers.0.mlp.up_proj.weight", [300, 1000]), // several parallel blocks
        ("model.layers.0.self_attn.o_proj.weight", [37, 129]), // ragged tail
        ("model.norm.weight", [1000]),
    ];

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (
            var name in new[]
            {
                "task_arithmetic",
                "ties_sum",
                "ties_count",
                "breadcrumbs",
                "dare_ties",
                "dare_linear_l1",
                "negative_weight_ties",
                "dare_ties_one_dense_term",
            }
        )
        foreach (var storage in new[] { "bf16", "f32", "mixed" })
            data.Add(name, storage);
        return data;
    }

    /// <summary>Base and three models (base in float32 and models in bf16 for "mixed"), through a safetensors file.</summary>
    CheckpointReader[] Models(string storage)
    {
        var generator = new Generator(17);
        var readers = new CheckpointReader[4];
        for (int m = 0; m < 4; m++)
        {
            using var scope = NewDisposeScope();
            var dtype = storage switch
            {
                "f32" => ScalarType.Float32,
                "mixed" when m == 0 => ScalarType.Float32,
                _ => ScalarType.BFloat16,
            };
            var tensors = Shapes
                .Select(s => (s.Name, (randn(s.Shape, generator: generator) * 0.02).to_type(dtype)))
                .ToList();
            var path = Path.Combine(_dir, $"{storage}-{m}.safetensors");
            CheckpointWriter.WriteFile(path, tensors);
            readers[m] = CheckpointReader.Open(path);
        }
        return readers;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Fast_path_equals_the_torch_op_kernel(string name, string storage)
    {
        var op =
            name == "dare_ties_one_dense_term"
                ? KernelTests.Named("dare_ties") with
                {
                    // Terms with different mask kinds take the tile path.
                    Terms = new TaskVectorTerms[]
                    {
                        new(0.7, 0.5, 0, 0),
                        new(0.6, 1, 0, 0),
                        new(0.9, 0.8, 0, 0),
                    },
                }
                : KernelTests.Named(name);
        var readers = Models(storage);
        // One chunk size for both: the L1 rescale's norms are summed chunk by chunk (float
        // rounding), which is the only place the chunk size still enters a CPU merge.
        using var fused = new MergeScratch(CPU, chunkElements: 4096, backend: KernelBackend.Fused);
        using var reference = new MergeScratch(
            CPU,
            chunkElements: 4096,
            backend: KernelBackend.TorchOps
        );
        try
        {
            foreach (var (tensor, _) in Shapes)
            {
                using var scope = NewDisposeScope();
                var inputs = readers.Select(r => r.Load(tensor)).ToArray();
                var outputDtype = inputs[1].dtype;
                var fast = empty(inputs[0].shape, outputDtype);
                var slow = empty(inputs[0].shape, outputDtype);
                Assert.Null(KernelBackends.FusedApplies(op, inputs, fast, fused));
                TaskArithmeticKernel.Run(op, inputs, fast, fused, 7, tensor);
                TaskArithmeticKernel.Run(op, inputs, slow, reference, 7, tensor);
                if (outputDtype == ScalarType.BFloat16)
                    Assert.True(
                        fast.bytes.SequenceEqual(slow.bytes),
                        $"{name} {storage} {tensor}: bf16 outputs differ in {(fast != slow).sum().item<long>()} elements"
                    );
                else
                {
                    double worst = (fast - slow).abs().max().item<float>();
                    Assert.True(worst <= 1e-6, $"{name} {storage} {tensor}: max |Δ| = {worst:E3}");
                }
                // A merge that does something: the output is not the base.
                Assert.False(
                    (fast.to_type(ScalarType.Float32) == inputs[0].to_type(ScalarType.Float32))
                        .all()
                        .item<bool>()
                );
            }
        }
        finally
        {
            foreach (var r in readers)
                r.Dispose();
        }
    }

    [Fact]
    public void Fast_path_result_does_not_depend_on_the_thread_count()
    {
        var op = KernelTests.Named("dare_ties");
        var readers = Models("bf16");
        int threads = torch.get_num_threads();
        try
        {
            using var scope = NewDisposeScope();
            using var scratch = new MergeScratch(CPU);
            var (tensor, _) = Shapes[0];
            var inputs = readers.Select(r => r.Load(tensor)).ToArray();
            var one = empty_like(inputs[0]);
            var two = empty_like(inputs[0]);
            torch.set_num_threads(1);
            TaskArithmeticKernel.Run(op, inputs, one, scratch, 3, tensor);
            torch.set_num_threads(2);
            TaskArithmeticKernel.Run(op, inputs, two, scratch, 3, tensor);
            Assert.True(one.bytes.SequenceEqual(two.bytes));
        }
        finally
        {
            torch.set_num_threads(threads);
            foreach (var r in readers)
                r.Dispose();
        }
    }
}
