using EvoMerge.Checkpoints.Safetensors;
using Microsoft.Win32.SafeHandles;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// Reads tensors from safetensors shards with positioned reads (pread) into reused buffers. The
/// streaming executor uses this instead of the memory map so that pages it has finished with do
/// not stay mapped and counted in the process's resident memory: a merge of three 1 GB models then
/// holds one weight's worth of memory, not the models.
/// </summary>
internal sealed class TensorFileReader : IDisposable
{
    readonly Dictionary<string, (SafeFileHandle Handle, long DataStart)> _files = new(
        StringComparer.Ordinal
    );

    /// <summary>Copies one tensor's bytes into <paramref name="destination"/> (contiguous CPU, stored dtype and size).</summary>
    public void Read(SafetensorsFile file, TensorInfo info, Tensor destination)
    {
        if (!_files.TryGetValue(file.Path, out var entry))
        {
            var handle = File.OpenHandle(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read);
            Span<byte> length = stackalloc byte[8];
            if (RandomAccess.Read(handle, length, 0) != 8)
                throw new SafetensorsException(file.Path, null, "truncated header");
            entry = (handle, 8 + (long)BitConverter.ToUInt64(length));
            _files[file.Path] = entry;
        }
        if (info.ByteLength == 0)
            return;
        using var flat = destination.view(-1);
        long perChunk = Math.Max(1, (1L << 30) / info.Dtype.Size());
        for (long start = 0; start < info.ElementCount; start += perChunk)
        {
            long count = Math.Min(perChunk, info.ElementCount - start);
            using var chunk = flat.narrow(0, start, count);
            var span = chunk.bytes;
            long offset = entry.DataStart + info.Begin + start * info.Dtype.Size();
            int read = 0;
            while (read < span.Length)
            {
                int n = RandomAccess.Read(entry.Handle, span[read..], offset + read);
                if (n <= 0)
                    throw new SafetensorsException(
                        file.Path,
                        info.Name,
                        "file ends inside the tensor"
                    );
                read += n;
            }
        }
    }

    public void Dispose()
    {
        foreach (var (handle, _) in _files.Values)
            handle.Dispose();
    }
}
