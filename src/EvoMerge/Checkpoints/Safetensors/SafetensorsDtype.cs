using TorchSharp;

namespace EvoMerge.Checkpoints.Safetensors;

/// <summary>The element types the safetensors format names (https://github.com/huggingface/safetensors).</summary>
public enum SafetensorsDtype
{
    F64,
    F32,
    F16,
    BF16,
    I64,
    I32,
    I16,
    I8,
    U8,
    BOOL,
}

/// <summary>Sizes, names and TorchSharp mappings of <see cref="SafetensorsDtype"/>.</summary>
public static class SafetensorsDtypes
{
    /// <summary>Bytes per element.</summary>
    public static int Size(this SafetensorsDtype dtype) =>
        dtype switch
        {
            SafetensorsDtype.F64 or SafetensorsDtype.I64 => 8,
            SafetensorsDtype.F32 or SafetensorsDtype.I32 => 4,
            SafetensorsDtype.F16 or SafetensorsDtype.BF16 or SafetensorsDtype.I16 => 2,
            _ => 1,
        };

    /// <summary>Parses the header's dtype string; null when unknown.</summary>
    public static SafetensorsDtype? Parse(string name) =>
        Enum.TryParse<SafetensorsDtype>(name, ignoreCase: false, out var dtype)
        && Enum.IsDefined(dtype) // "12" parses as an undefined value
        && name == dtype.ToString()
            ? dtype
            : null;

    public static torch.ScalarType ToScalarType(this SafetensorsDtype dtype) =>
        dtype switch
        {
            SafetensorsDtype.F64 => torch.ScalarType.Float64,
            SafetensorsDtype.F32 => torch.ScalarType.Float32,
            SafetensorsDtype.F16 => torch.ScalarType.Float16,
            SafetensorsDtype.BF16 => torch.ScalarType.BFloat16,
            SafetensorsDtype.I64 => torch.ScalarType.Int64,
            SafetensorsDtype.I32 => torch.ScalarType.Int32,
            SafetensorsDtype.I16 => torch.ScalarType.Int16,
            SafetensorsDtype.I8 => torch.ScalarType.Int8,
            SafetensorsDtype.U8 => torch.ScalarType.Byte,
            SafetensorsDtype.BOOL => torch.ScalarType.Bool,
            _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
        };

    public static SafetensorsDtype FromScalarType(torch.ScalarType type) =>
        type switch
        {
            torch.ScalarType.Float64 => SafetensorsDtype.F64,
            torch.ScalarType.Float32 => SafetensorsDtype.F32,
            torch.ScalarType.Float16 => SafetensorsDtype.F16,
            torch.ScalarType.BFloat16 => SafetensorsDtype.BF16,
            torch.ScalarType.Int64 => SafetensorsDtype.I64,
            torch.ScalarType.Int32 => SafetensorsDtype.I32,
            torch.ScalarType.Int16 => SafetensorsDtype.I16,
            torch.ScalarType.Int8 => SafetensorsDtype.I8,
            torch.ScalarType.Byte => SafetensorsDtype.U8,
            torch.ScalarType.Bool => SafetensorsDtype.BOOL,
            _ => throw new NotSupportedException($"safetensors has no dtype for {type}"),
        };

    /// <summary>Parses a Hugging Face / mergekit dtype name (bfloat16, float16, float32, ...).</summary>
    public static torch.ScalarType ParseTorchDtype(string name) =>
        name.Trim().ToLowerInvariant().Replace("torch.", "") switch
        {
            "float32" or "fp32" or "float" => torch.ScalarType.Float32,
            "float16" or "fp16" or "half" => torch.ScalarType.Float16,
            "bfloat16" or "bf16" => torch.ScalarType.BFloat16,
            "float64" or "fp64" or "double" => torch.ScalarType.Float64,
            _ => throw new ArgumentException(
                $"unsupported dtype '{name}' (expected float32, float16 or bfloat16)"
            ),
        };

    /// <summary>The Hugging Face name of a floating dtype (as config.json writes it).</summary>
    public static string ToHfName(this torch.ScalarType type) =>
        type switch
        {
            torch.ScalarType.Float32 => "float32",
            torch.ScalarType.Float16 => "float16",
            torch.ScalarType.BFloat16 => "bfloat16",
            torch.ScalarType.Float64 => "float64",
            _ => type.ToString().ToLowerInvariant(),
        };
}
