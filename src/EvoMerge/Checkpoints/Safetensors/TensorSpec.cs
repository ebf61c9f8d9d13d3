using EvoMerge.Common;

namespace EvoMerge.Checkpoints.Safetensors;

/// <summary>A tensor to be written: its name, stored dtype and shape (known before any bytes are written).</summary>
public sealed record TensorSpec(string Name, SafetensorsDtype Dtype, ValueArray<long> Shape)
{
    /// <summary>Bytes the tensor occupies in the file.</summary>
    public long ByteLength => Shape.Aggregate(1L, (a, b) => a * b) * Dtype.Size();
}
