using EvoMerge.Common;

namespace EvoMerge.Checkpoints.Safetensors;

/// <summary>One tensor's entry in a safetensors header: where its bytes lie in the data section.</summary>
/// <param name="Name">The tensor key (a Hugging Face state-dict name).</param>
/// <param name="Dtype">Element type.</param>
/// <param name="Shape">Dimensions.</param>
/// <param name="Begin">Start offset in the data section (after the header).</param>
/// <param name="End">End offset (exclusive) in the data section.</param>
public sealed record TensorInfo(
    string Name,
    SafetensorsDtype Dtype,
    ValueArray<long> Shape,
    long Begin,
    long End
)
{
    /// <summary>Number of elements (1 for a scalar).</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>Byte length of the data.</summary>
    public long ByteLength => End - Begin;
}
