using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// Preallocated work buffers for merging, on one device: the kernels walk a tensor in chunks of
/// <see cref="ChunkElements"/> elements and do all their arithmetic in place in these buffers, so
/// merging allocates no new full-size tensors (fresh allocations are very slow on some VMs, and
/// chunk-sized buffers stay in cache across the several passes a chunk needs). On the CPU random
/// masks are counter-based (<see cref="CounterMask"/>) and depend neither on the chunk size nor on
/// the device.
/// </summary>
public sealed class MergeScratch : IDisposable
{
    readonly Tensor[] _chunk;
    Tensor? _full;
    Tensor? _fullB;

    /// <summary>Default chunk on CPU (1 Mi elements: 4 MB per buffer); on CUDA larger chunks amortize launches.</summary>
    public static long DefaultChunkElements(Device device) =>
        device.type == DeviceType.CUDA ? 1L << 24 : 1L << 20;

    /// <summary>Allocates the chunk buffers.</summary>
    public MergeScratch(
        Device device,
        ScalarType computeDtype = ScalarType.Float32,
        long? chunkElements = null,
        KernelBackend backend = KernelBackend.Auto
    )
    {
        Backend = backend;
        Device = device;
        ComputeDtype = computeDtype;
        ChunkElements = chunkElements ?? DefaultChunkElements(device);
        _chunk = new Tensor[9];
        for (int i = 0; i < _chunk.Length; i++)
            _chunk[i] = torch.empty([ChunkElements], computeDtype, device).DetachFromDisposeScope();
        TensorMasks = device.type != DeviceType.CPU;
    }

    /// <summary>The device of every buffer.</summary>
    public Device Device { get; }

    /// <summary>The dtype arithmetic is done in.</summary>
    public ScalarType ComputeDtype { get; }

    /// <summary>Elements per chunk.</summary>
    public long ChunkElements { get; }

    /// <summary>
    /// The task-arithmetic kernel asked for (<see cref="KernelBackends.Choose"/> decides per tensor
    /// what <see cref="KernelBackend.Auto"/> means). Same results either way.
    /// </summary>
    public KernelBackend Backend { get; }

    /// <summary>
    /// Whether random masks are drawn with integer tensor ops on <see cref="Device"/> (the default off
    /// the CPU) rather than the CPU's SIMD loop; both give the same bits (tests set it on the CPU).
    /// </summary>
    public bool TensorMasks { get; init; }

    /// <summary>Chunk buffer <paramref name="index"/> (0..8), cut to <paramref name="length"/> elements.</summary>
    internal Tensor Chunk(int index, long length) => _chunk[index].narrow(0, 0, length);

    /// <summary>A flat buffer of at least <paramref name="length"/> elements (for whole-tensor passes such as magnitude thresholds); grows at most once per size increase.</summary>
    internal Tensor Full(long length, int which = 0)
    {
        ref var buffer = ref which == 0 ? ref _full : ref _fullB;
        if (buffer is null || buffer.numel() < length)
        {
            buffer?.Dispose();
            buffer = torch.empty([length], ComputeDtype, Device).DetachFromDisposeScope();
        }
        return buffer.narrow(0, 0, length);
    }

    /// <summary>Makes sure whole-tensor buffers of <paramref name="length"/> exist (call once with the largest tensor to avoid regrowth).</summary>
    public void Reserve(long length, int count = 1)
    {
        using var a = Full(length);
        if (count > 1)
        {
            using var b = Full(length, 1);
        }
    }

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        foreach (var t in _chunk)
            t.Dispose();
        _full?.Dispose();
        _fullB?.Dispose();
    }
}
