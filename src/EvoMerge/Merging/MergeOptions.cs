using EvoMerge.Checkpoints.Safetensors;
using TorchSharp;

namespace EvoMerge.Merging;

/// <summary>How a merge runs (not what it computes: that is the recipe).</summary>
/// <param name="Device">Where the arithmetic happens.</param>
/// <param name="Seed">Seed of the random masks (DARE, DELLA): same seed → the same masks on every device (a counter hash: SIMD on the CPU, integer tensor ops elsewhere).</param>
/// <param name="MaxShardBytes">Largest output shard, in bytes.</param>
/// <param name="ComputeDtype">The dtype arithmetic is done in (float32 by default: fp16 arithmetic is unusable on CPU).</param>
/// <param name="ChunkElements">Chunk size of the streaming kernels (null: the device default). Not part of the mask contract.</param>
/// <param name="Backend">The task-arithmetic kernel (<see cref="KernelBackends.Choose"/>: Auto takes the fused CPU kernel where it applies). Same results either way.</param>
public sealed record MergeOptions(
    torch.Device Device,
    long Seed = 0,
    long MaxShardBytes = CheckpointWriter.DefaultMaxShardBytes,
    torch.ScalarType ComputeDtype = torch.ScalarType.Float32,
    long? ChunkElements = null,
    KernelBackend Backend = KernelBackend.Auto
)
{
    /// <summary>CPU, seed 0, 5 GB shards.</summary>
    public static MergeOptions Cpu => new(torch.CPU);
}

/// <summary>Progress of a merge: <paramref name="Done"/> of <paramref name="Total"/> output tensors, the last one being <paramref name="Tensor"/>.</summary>
public sealed record MergeProgress(int Done, int Total, string Tensor, long BytesRead);
