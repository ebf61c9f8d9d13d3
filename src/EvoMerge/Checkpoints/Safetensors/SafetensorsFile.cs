using System.Text;
using System.Text.Json;
using EvoMerge.Common;
using Microsoft.Win32.SafeHandles;
using TorchSharp;

namespace EvoMerge.Checkpoints.Safetensors;

/// <summary>
/// One safetensors file. Opening reads and validates only the header; a tensor's bytes are read
/// when it is asked for, with positioned reads (pread) into the caller's tensor rather than through
/// a memory map, so pages a reader has finished with are not left mapped and counted in the
/// process's resident memory: a streaming merge of three 1 GB models holds one weight's worth of
/// memory, not the models. Thread-safe for concurrent reads.
/// </summary>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>Headers larger than this are refused (the format's reference reader uses the same bound).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    readonly SafeFileHandle _handle;
    readonly long _dataStart;

    SafetensorsFile(
        string path,
        IReadOnlyDictionary<string, TensorInfo> tensors,
        IReadOnlyDictionary<string, string> metadata,
        long dataStart,
        SafeFileHandle handle
    )
    {
        Path = path;
        Tensors = tensors;
        Metadata = metadata;
        _dataStart = dataStart;
        _handle = handle;
    }

    /// <summary>The file's path.</summary>
    public string Path { get; }

    /// <summary>Tensor entries by name, in header order.</summary>
    public IReadOnlyDictionary<string, TensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> (e.g. {"format":"pt"}).</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Opens and validates <paramref name="path"/>; throws <see cref="SafetensorsException"/> on any violation of the format.</summary>
    public static SafetensorsFile Open(string path)
    {
        try
        {
            return OpenChecked(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Symlink loops ("Too many levels of symbolic links"), permissions, a file cut short while read.
            throw new SafetensorsException(path, null, $"cannot read the file ({e.Message})");
        }
    }

    static SafetensorsFile OpenChecked(string path)
    {
        if (!File.Exists(path))
            throw new SafetensorsException(path, null, "file not found");
        PickleGuard.ThrowIfPickle(path);
        long length = new FileInfo(path).Length;
        if (length < 8)
            throw new SafetensorsException(
                path,
                null,
                $"truncated file: {length} bytes, shorter than the 8-byte header length"
            );
        // The handle stays open for the tensor reads (the header is read through it too).
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            Span<byte> lengthBytes = stackalloc byte[8];
            ReadExactly(handle, path, null, 0, lengthBytes);
            ulong headerLength = BitConverter.ToUInt64(lengthBytes);
            if (headerLength > MaxHeaderBytes)
                throw new SafetensorsException(
                    path,
                    null,
                    $"header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit"
                );
            if (8 + (long)headerLength > length)
                throw new SafetensorsException(
                    path,
                    null,
                    $"header length {headerLength} runs past the end of the file ({length} bytes)"
                );
            var headerBytes = new byte[headerLength];
            ReadExactly(handle, path, null, 8, headerBytes);
            long dataStart = 8 + (long)headerLength;
            var (tensors, metadata) = ParseHeader(path, headerBytes, length - dataStart);
            return new SafetensorsFile(path, tensors, metadata, dataStart, handle);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    /// <summary>Fills <paramref name="target"/> from <paramref name="offset"/>; a file that ends first is an error naming the tensor.</summary>
    static void ReadExactly(
        SafeFileHandle handle,
        string path,
        string? tensor,
        long offset,
        Span<byte> target
    )
    {
        int read = 0;
        while (read < target.Length)
        {
            int n = RandomAccess.Read(handle, target[read..], offset + read);
            if (n <= 0)
                throw new SafetensorsException(
                    path,
                    tensor,
                    tensor is null ? "file ends inside the header" : "file ends inside the tensor"
                );
            read += n;
        }
    }

    static (
        IReadOnlyDictionary<string, TensorInfo>,
        IReadOnlyDictionary<string, string>
    ) ParseHeader(string path, byte[] header, long dataLength)
    {
        if (!System.Text.Unicode.Utf8.IsValid(header))
            throw new SafetensorsException(path, null, "header is not valid UTF-8");
        try
        {
            return ParseHeaderJson(path, header, dataLength);
        }
        catch (InvalidOperationException e)
        {
            // A string the JSON reader cannot turn into text (e.g. an escaped lone surrogate).
            throw new SafetensorsException(
                path,
                null,
                $"header holds an invalid string ({e.Message})"
            );
        }
    }

    static (
        IReadOnlyDictionary<string, TensorInfo>,
        IReadOnlyDictionary<string, string>
    ) ParseHeaderJson(string path, byte[] header, long dataLength)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(header);
        }
        catch (JsonException e)
        {
            throw new SafetensorsException(path, null, $"header is not valid JSON ({e.Message})");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new SafetensorsException(path, null, "header is not a JSON object");
            var tensors = new Dictionary<string, TensorInfo>(StringComparer.Ordinal);
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    if (property.Value.ValueKind != JsonValueKind.Object)
                        throw new SafetensorsException(path, null, "__metadata__ is not an object");
                    foreach (var entry in property.Value.EnumerateObject())
                    {
                        if (entry.Value.ValueKind != JsonValueKind.String)
                            throw new SafetensorsException(
                                path,
                                null,
                                $"__metadata__ value '{entry.Name}' is not a string"
                            );
                        metadata[entry.Name] = entry.Value.GetString()!;
                    }
                    continue;
                }
                if (tensors.ContainsKey(property.Name))
                    throw new SafetensorsException(
                        path,
                        property.Name,
                        "the header names this tensor twice"
                    );
                tensors[property.Name] = ParseTensor(
                    path,
                    property.Name,
                    property.Value,
                    dataLength
                );
            }
            CheckLayout(path, tensors.Values, dataLength);
            return (tensors, metadata);
        }
    }

    static TensorInfo ParseTensor(string path, string name, JsonElement entry, long dataLength)
    {
        if (entry.ValueKind != JsonValueKind.Object)
            throw new SafetensorsException(path, name, "entry is not an object");
        if (
            !entry.TryGetProperty("dtype", out var dtypeElement)
            || dtypeElement.ValueKind != JsonValueKind.String
        )
            throw new SafetensorsException(path, name, "missing dtype");
        var dtypeName = dtypeElement.GetString()!;
        var dtype =
            SafetensorsDtypes.Parse(dtypeName)
            ?? throw new SafetensorsException(path, name, $"unknown dtype '{dtypeName}'");
        if (
            !entry.TryGetProperty("shape", out var shapeElement)
            || shapeElement.ValueKind != JsonValueKind.Array
        )
            throw new SafetensorsException(path, name, "missing shape");
        var shape = new List<long>();
        foreach (var dim in shapeElement.EnumerateArray())
        {
            if (dim.ValueKind != JsonValueKind.Number || !dim.TryGetInt64(out var d) || d < 0)
                throw new SafetensorsException(path, name, $"invalid shape dimension {dim}");
            shape.Add(d);
        }
        if (
            !entry.TryGetProperty("data_offsets", out var offsets)
            || offsets.ValueKind != JsonValueKind.Array
            || offsets.GetArrayLength() != 2
            || offsets[0].ValueKind != JsonValueKind.Number
            || offsets[1].ValueKind != JsonValueKind.Number
            || !offsets[0].TryGetInt64(out var begin)
            || !offsets[1].TryGetInt64(out var end)
        )
            throw new SafetensorsException(
                path,
                name,
                $"data_offsets must be [begin, end] (two integers), got {Clip(entry.TryGetProperty("data_offsets", out var o) ? o.GetRawText() : "nothing")}"
            );
        if (begin < 0 || end < begin)
            throw new SafetensorsException(path, name, $"invalid data_offsets [{begin}, {end}]");
        if (end > dataLength)
            throw new SafetensorsException(
                path,
                name,
                $"data_offsets [{begin}, {end}] run past the data section ({dataLength} bytes)"
            );
        var info = new TensorInfo(name, dtype, shape.ToValueArray(), begin, end);
        long expected;
        try
        {
            expected = checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * dtype.Size());
        }
        catch (OverflowException)
        {
            throw new SafetensorsException(path, name, "shape is too large");
        }
        if (expected != info.ByteLength)
            throw new SafetensorsException(
                path,
                name,
                $"byte length {info.ByteLength} does not match shape [{string.Join(", ", shape)}] x {dtype} ({expected} bytes)"
            );
        return info;
    }

    static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";

    /// <summary>The data section must be covered exactly: no overlaps, no holes (as the format's reference reader checks).</summary>
    static void CheckLayout(string path, IEnumerable<TensorInfo> tensors, long dataLength)
    {
        long expectedBegin = 0;
        TensorInfo? previous = null;
        foreach (var info in tensors.OrderBy(t => t.Begin).ThenBy(t => t.End))
        {
            if (info.Begin < expectedBegin)
                throw new SafetensorsException(
                    path,
                    info.Name,
                    $"data_offsets [{info.Begin}, {info.End}] overlap tensor '{previous!.Name}' [{previous.Begin}, {previous.End}]"
                );
            if (info.Begin > expectedBegin)
                throw new SafetensorsException(
                    path,
                    info.Name,
                    $"hole in the data section before offset {info.Begin}"
                );
            expectedBegin = info.End;
            previous = info;
        }
        if (expectedBegin != dataLength)
            throw new SafetensorsException(
                path,
                null,
                $"data section is {dataLength} bytes but tensors cover {expectedBegin}"
            );
    }

    /// <summary>Info for one tensor; throws a <see cref="SafetensorsException"/> naming the file if absent.</summary>
    public TensorInfo Info(string name) =>
        Tensors.TryGetValue(name, out var info)
            ? info
            : throw new SafetensorsException(Path, name, "no such tensor");

    /// <summary>
    /// Reads one tensor into a new CPU tensor of its stored dtype, then converts to
    /// <paramref name="dtype"/> and moves to <paramref name="device"/> when given.
    /// </summary>
    public torch.Tensor Load(
        string name,
        torch.Device? device = null,
        torch.ScalarType? dtype = null
    )
    {
        var info = Info(name);
        using var scope = torch.NewDisposeScope();
        var cpu = torch.empty(info.Shape.ToArray(), info.Dtype.ToScalarType());
        CopyInto(info, cpu);
        var result = cpu;
        if (dtype is { } d && d != result.dtype)
            result = result.to_type(d);
        if (device is not null && device.type != DeviceType.CPU)
            result = result.to(device);
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// Copies one tensor's bytes into <paramref name="destination"/>, a contiguous CPU tensor of the
    /// stored dtype and element count (reusing buffers avoids fresh allocations in merge loops).
    /// </summary>
    public void CopyInto(TensorInfo info, torch.Tensor destination)
    {
        if (destination.device_type != DeviceType.CPU || !destination.is_contiguous())
            throw new ArgumentException(
                "destination must be a contiguous CPU tensor",
                nameof(destination)
            );
        if (
            destination.dtype != info.Dtype.ToScalarType()
            || destination.numel() != info.ElementCount
        )
            throw new ArgumentException(
                $"destination {destination.dtype}[{destination.numel()}] does not fit '{info.Name}' {info.Dtype}[{info.ElementCount}]",
                nameof(destination)
            );
        if (info.ByteLength == 0)
            return;
        // Tensor.bytes is a span over the storage, limited to 2 GB: copy big tensors in chunks.
        using var flat = destination.view(-1);
        long elementsPerChunk = Math.Max(1, (1L << 30) / info.Dtype.Size());
        for (long start = 0; start < info.ElementCount; start += elementsPerChunk)
        {
            long count = Math.Min(elementsPerChunk, info.ElementCount - start);
            using var chunk = flat.narrow(0, start, count);
            ReadExactly(
                _handle,
                Path,
                info.Name,
                _dataStart + info.Begin + start * info.Dtype.Size(),
                chunk.bytes
            );
        }
    }

    /// <summary>Closes the file.</summary>
    public void Dispose() => _handle.Dispose();
}
