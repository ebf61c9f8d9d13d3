using System.Text.Json;
using TorchSharp;

namespace EvoMerge.Checkpoints.Safetensors;

/// <summary>
/// A Hugging Face checkpoint: a folder with <c>model.safetensors</c>, or shards listed in
/// <c>model.safetensors.index.json</c>, or a single .safetensors file. Lazy: opening reads headers only.
/// </summary>
public sealed class CheckpointReader : IDisposable
{
    const string SingleFile = "model.safetensors";
    const string IndexFile = "model.safetensors.index.json";

    readonly Dictionary<string, SafetensorsFile> _byTensor;
    readonly List<SafetensorsFile> _files;

    CheckpointReader(
        string path,
        List<SafetensorsFile> files,
        Dictionary<string, SafetensorsFile> byTensor
    )
    {
        Path = path;
        _files = files;
        _byTensor = byTensor;
        Names = files
            .SelectMany(f => f.Tensors.Keys)
            .Where(byTensor.ContainsKey)
            .Distinct()
            .ToArray();
    }

    /// <summary>The folder or file opened.</summary>
    public string Path { get; }

    /// <summary>Every tensor name, in file order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The files (shards) behind the checkpoint.</summary>
    public IReadOnlyList<SafetensorsFile> Files => _files;

    /// <summary>Opens a folder or file; refuses pickle checkpoints; validates every shard's header.</summary>
    public static CheckpointReader Open(string path)
    {
        if (File.Exists(path))
            return FromSingle(path, SafetensorsFile.Open(path));
        if (!Directory.Exists(path))
            throw new SafetensorsException(path, null, "no such checkpoint folder or file");
        var index = System.IO.Path.Combine(path, IndexFile);
        if (File.Exists(index))
            return OpenSharded(path, index);
        var single = System.IO.Path.Combine(path, SingleFile);
        if (File.Exists(single))
            return FromSingle(path, SafetensorsFile.Open(single));
        var others = Directory
            .GetFiles(path, "*.safetensors")
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        if (others.Length == 1)
            return Open(others[0]);
        var pickle = Directory
            .GetFiles(path)
            .FirstOrDefault(f =>
                f.EndsWith(".bin", StringComparison.Ordinal)
                || f.EndsWith(".pt", StringComparison.Ordinal)
                || f.EndsWith(".pth", StringComparison.Ordinal)
            );
        if (pickle is not null)
            PickleGuard.ThrowIfPickle(pickle);
        throw new SafetensorsException(path, null, $"no {SingleFile} or {IndexFile} in the folder");
    }

    static CheckpointReader FromSingle(string path, SafetensorsFile file) =>
        new(
            path,
            [file],
            file.Tensors.Keys.ToDictionary(k => k, _ => file, StringComparer.Ordinal)
        );

    static CheckpointReader OpenSharded(string folder, string indexPath)
    {
        Dictionary<string, string> weightMap;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (
                doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("weight_map", out var map)
                || map.ValueKind != JsonValueKind.Object
            )
                throw new SafetensorsException(indexPath, null, "missing weight_map");
            weightMap = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in map.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw new SafetensorsException(
                        indexPath,
                        p.Name,
                        $"weight_map value must be a shard file name, got {p.Value.ValueKind}"
                    );
                if (!weightMap.TryAdd(p.Name, p.Value.GetString()!))
                    throw new SafetensorsException(
                        indexPath,
                        p.Name,
                        "weight_map names this tensor twice"
                    );
            }
        }
        catch (JsonException e)
        {
            throw new SafetensorsException(
                indexPath,
                null,
                $"index is not valid JSON ({e.Message})"
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SafetensorsException(indexPath, null, $"cannot read the index ({e.Message})");
        }
        var files = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        var byTensor = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (var (tensor, shard) in weightMap)
            {
                if (shard.Contains('/') || shard.Contains('\\') || shard.Contains(".."))
                    throw new SafetensorsException(
                        indexPath,
                        tensor,
                        $"shard name '{shard}' must be a file in the same folder"
                    );
                if (!files.TryGetValue(shard, out var file))
                {
                    var shardPath = System.IO.Path.Combine(folder, shard);
                    if (!File.Exists(shardPath))
                        throw new SafetensorsException(
                            indexPath,
                            tensor,
                            $"missing shard '{shard}'"
                        );
                    file = SafetensorsFile.Open(shardPath);
                    files[shard] = file;
                }
                if (!file.Tensors.ContainsKey(tensor))
                    throw new SafetensorsException(
                        file.Path,
                        tensor,
                        "listed in the index but not in this shard"
                    );
                byTensor[tensor] = file;
            }
        }
        catch
        {
            foreach (var file in files.Values)
                file.Dispose();
            throw;
        }
        return new CheckpointReader(
            folder,
            files.Values.OrderBy(f => f.Path, StringComparer.Ordinal).ToList(),
            byTensor
        );
    }

    /// <summary>True if the checkpoint holds <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byTensor.ContainsKey(name);

    /// <summary>The header entry of a tensor.</summary>
    public TensorInfo Info(string name) => FileOf(name).Info(name);

    /// <summary>The shard holding a tensor.</summary>
    public SafetensorsFile FileOf(string name) =>
        _byTensor.TryGetValue(name, out var file)
            ? file
            : throw new SafetensorsException(Path, name, "no such tensor in the checkpoint");

    /// <summary>Reads one tensor (lazily, from the mapped file), optionally converted and moved.</summary>
    public torch.Tensor Load(
        string name,
        torch.Device? device = null,
        torch.ScalarType? dtype = null
    ) => FileOf(name).Load(name, device, dtype);

    public void Dispose()
    {
        foreach (var file in _files)
            file.Dispose();
    }
}
