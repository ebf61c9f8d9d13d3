using System.Text;
using System.Text.Json;
using EvoMerge.Common;
using TorchSharp;

namespace EvoMerge.Checkpoints.Safetensors;

/// <summary>
/// Writes a Hugging Face checkpoint folder: <c>model.safetensors</c>, or shards
/// <c>model-0000i-of-0000N.safetensors</c> plus <c>model.safetensors.index.json</c> when the plan
/// exceeds the shard size. Tensors stream in plan order (one at a time in memory). Everything is
/// written into a staging folder beside the target and renamed into place by <see cref="Commit"/>;
/// disposing without committing deletes the staging folder, so no half-written output is left.
/// Every folder written carries <see cref="OutputFolder.MarkerFileName"/>; an existing target is
/// replaced only when it carries that marker or is empty (see <see cref="OutputFolder"/>).
/// </summary>
public sealed class CheckpointWriter : IDisposable
{
    /// <summary>Default shard size: 5 GB, as transformers' save_pretrained uses.</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    readonly string _target;
    readonly string _staging;
    readonly List<Shard> _shards = [];
    readonly Dictionary<string, (Shard Shard, TensorSpec Spec)> _plan = new(StringComparer.Ordinal);
    readonly List<string> _order = [];
    int _next;
    FileStream? _open;
    bool _committed;
    readonly bool _replaceAnyExisting;
    readonly IReadOnlyDictionary<string, string>? _provenance;

    sealed record Shard(string FileName, ValueArray<TensorSpec> Tensors);

    /// <summary>Plans the shards for <paramref name="plan"/> (names must be unique) and opens the staging folder.</summary>
    /// <param name="outputDirectory">The folder to create; an existing one must be empty or an earlier output of this writer.</param>
    /// <param name="plan">The tensors, in write order.</param>
    /// <param name="maxShardBytes">Largest shard.</param>
    /// <param name="metadata">The safetensors header metadata.</param>
    /// <param name="provenance">Extra string fields for the provenance file (e.g. the recipe).</param>
    /// <param name="replaceAnyExisting">Replace whatever folder is there (only for folders a caller owns by construction, such as the zoo's stages).</param>
    public CheckpointWriter(
        string outputDirectory,
        IReadOnlyList<TensorSpec> plan,
        long maxShardBytes = DefaultMaxShardBytes,
        IReadOnlyDictionary<string, string>? metadata = null,
        IReadOnlyDictionary<string, string>? provenance = null,
        bool replaceAnyExisting = false
    )
    {
        if (maxShardBytes <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxShardBytes));
        _target = Path.GetFullPath(outputDirectory);
        _replaceAnyExisting = replaceAnyExisting;
        _provenance = provenance;
        if (!replaceAnyExisting)
            OutputFolder.EnsureReplaceable(_target, overwrite: true);
        Metadata = metadata ?? new Dictionary<string, string> { ["format"] = "pt" };
        // Greedy packing in plan order, as transformers' shard_checkpoint does.
        if (plan.Count == 0)
            throw new ArgumentException("a checkpoint needs at least one tensor", nameof(plan));
        var groups = new List<List<TensorSpec>> { new() };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long current = 0;
        foreach (var spec in plan)
        {
            if (!seen.Add(spec.Name))
                throw new ArgumentException($"tensor '{spec.Name}' is planned twice");
            if (current > 0 && current + spec.ByteLength > maxShardBytes)
            {
                groups.Add(new());
                current = 0;
            }
            groups[^1].Add(spec);
            current += spec.ByteLength;
        }
        for (int i = 0; i < groups.Count; i++)
        {
            var name =
                groups.Count == 1
                    ? "model.safetensors"
                    : $"model-{i + 1:D5}-of-{groups.Count:D5}.safetensors";
            var shard = new Shard(name, groups[i].ToValueArray());
            _shards.Add(shard);
            foreach (var spec in groups[i])
            {
                _plan[spec.Name] = (shard, spec);
                _order.Add(spec.Name);
            }
        }
        var parent = Path.GetDirectoryName(_target) ?? ".";
        Directory.CreateDirectory(parent);
        _staging = OutputFolder.StagingPath(_target);
        Directory.CreateDirectory(_staging);
    }

    /// <summary>The header metadata written into every shard.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The file names that will be written.</summary>
    public IReadOnlyList<string> ShardFileNames => _shards.Select(s => s.FileName).ToArray();

    /// <summary>The next tensor the writer expects (null when all are written).</summary>
    public string? NextName => _next < _order.Count ? _order[_next] : null;

    /// <summary>Writes the next planned tensor; converts its dtype to the planned one and copies it to the CPU if needed.</summary>
    public void Write(string name, torch.Tensor tensor)
    {
        if (_next >= _order.Count || _order[_next] != name)
            throw new InvalidOperationException(
                $"tensor '{name}' written out of plan order (expected '{NextName ?? "<none>"}')"
            );
        var (shard, spec) = _plan[name];
        if (!tensor.shape.SequenceEqual(spec.Shape))
            throw new ArgumentException(
                $"tensor '{name}' has shape [{string.Join(", ", tensor.shape)}], planned [{string.Join(", ", spec.Shape)}]"
            );
        if (shard.Tensors[0].Name == name)
            OpenShard(shard);
        using (var scope = torch.NewDisposeScope())
        {
            var cpu = tensor.to_type(spec.Dtype.ToScalarType()).cpu().contiguous().view(-1);
            long perChunk = Math.Max(1, (1L << 30) / spec.Dtype.Size());
            for (long start = 0; start < cpu.numel(); start += perChunk)
            {
                using var chunk = cpu.narrow(0, start, Math.Min(perChunk, cpu.numel() - start));
                _open!.Write(chunk.bytes);
            }
        }
        _next++;
        if (shard.Tensors[^1].Name == name)
        {
            _open!.Dispose();
            _open = null;
        }
    }

    /// <summary>Copies an extra file (config.json, tokenizer files) into the output folder.</summary>
    public void AddFile(string fileName, string sourcePath) =>
        File.Copy(sourcePath, Path.Combine(_staging, fileName), overwrite: true);

    /// <summary>Writes an extra text file into the output folder.</summary>
    public void AddText(string fileName, string text) =>
        File.WriteAllText(Path.Combine(_staging, fileName), text, new UTF8Encoding(false));

    void OpenShard(Shard shard)
    {
        _open = new FileStream(
            Path.Combine(_staging, shard.FileName),
            FileMode.CreateNew,
            FileAccess.Write,
            FileShare.None,
            1 << 20
        );
        var header = new Dictionary<string, object> { ["__metadata__"] = Metadata };
        long offset = 0;
        foreach (var spec in shard.Tensors)
        {
            header[spec.Name] = new
            {
                dtype = spec.Dtype.ToString(),
                shape = spec.Shape.ToArray(),
                data_offsets = new[] { offset, offset + spec.ByteLength },
            };
            offset += spec.ByteLength;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        // Pad the header with spaces to a multiple of 8 so the data section is aligned (as the reference writer does).
        int padded = (json.Length + 7) / 8 * 8;
        var bytes = new byte[8 + padded];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)padded);
        json.CopyTo(bytes, 8);
        bytes.AsSpan(8 + json.Length).Fill((byte)' ');
        _open.Write(bytes);
    }

    /// <summary>Finishes: writes the index (when sharded) and renames the staging folder onto the target, replacing it.</summary>
    public void Commit()
    {
        if (_next != _order.Count)
            throw new InvalidOperationException(
                $"only {_next} of {_order.Count} planned tensors were written (next: '{NextName}')"
            );
        if (_shards.Count > 1)
        {
            var index = new
            {
                metadata = new { total_size = _plan.Values.Sum(p => p.Spec.ByteLength) },
                weight_map = _order.ToDictionary(n => n, n => _plan[n].Shard.FileName),
            };
            AddText(
                "model.safetensors.index.json",
                JsonSerializer.Serialize(index, new JsonSerializerOptions { WriteIndented = true })
            );
        }
        // The marker goes last: a staging folder that has it is complete.
        AddText(
            OutputFolder.MarkerFileName,
            OutputFolder.MarkerText(ShardFileNames, _order.Count, _provenance)
        );
        if (!_replaceAnyExisting)
            OutputFolder.EnsureReplaceable(_target, overwrite: true);
        string? backup = null;
        if (Directory.Exists(_target))
        {
            backup = _staging + ".old";
            Directory.Move(_target, backup);
        }
        Directory.Move(_staging, _target);
        if (backup is not null)
            Directory.Delete(backup, recursive: true);
        _committed = true;
    }

    /// <summary>Writes named tensors as one checkpoint folder (single file unless larger than the shard size).</summary>
    public static void WriteFolder(
        string outputDirectory,
        IReadOnlyList<(string Name, torch.Tensor Tensor)> tensors,
        long maxShardBytes = DefaultMaxShardBytes,
        bool replaceAnyExisting = false
    )
    {
        var plan = tensors
            .Select(t => new TensorSpec(
                t.Name,
                SafetensorsDtypes.FromScalarType(t.Tensor.dtype),
                t.Tensor.shape
            ))
            .ToList();
        using var writer = new CheckpointWriter(
            outputDirectory,
            plan,
            maxShardBytes,
            replaceAnyExisting: replaceAnyExisting
        );
        foreach (var (name, tensor) in tensors)
            writer.Write(name, tensor);
        writer.Commit();
    }

    /// <summary>Writes named tensors to one .safetensors file, atomically (temp file, then rename).</summary>
    public static void WriteFile(
        string path,
        IReadOnlyList<(string Name, torch.Tensor Tensor)> tensors
    )
    {
        var full = Path.GetFullPath(path);
        var folder = full + $".tmp-{Guid.NewGuid():N}";
        try
        {
            WriteFolder(folder, tensors, long.MaxValue, replaceAnyExisting: true);
            File.Move(Path.Combine(folder, "model.safetensors"), full, overwrite: true);
        }
        finally
        {
            if (Directory.Exists(folder))
                Directory.Delete(folder, recursive: true);
        }
    }

    public void Dispose()
    {
        _open?.Dispose();
        _open = null;
        if (!_committed && Directory.Exists(_staging))
            Directory.Delete(_staging, recursive: true);
    }
}
