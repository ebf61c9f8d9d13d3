using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Common;
using TorchSharp;

namespace EvoMerge.Merging;

/// <summary>The tensor names, shapes and dtypes of one source model (no tensor data), for planning.</summary>
public sealed partial class ModelInventory
{
    readonly Dictionary<string, (ValueArray<long> Shape, torch.ScalarType Dtype)> _tensors;

    /// <summary>Creates an inventory from (name, shape, dtype) triples in checkpoint order.</summary>
    public ModelInventory(
        string name,
        IEnumerable<(string Tensor, ValueArray<long> Shape, torch.ScalarType Dtype)> tensors,
        int? numLayers = null
    )
    {
        Name = name;
        var list = tensors.ToList();
        TensorNames = list.Select(t => t.Tensor).ToArray();
        _tensors = list.ToDictionary(
            t => t.Tensor,
            t => (t.Shape, t.Dtype),
            StringComparer.Ordinal
        );
        NumLayers =
            numLayers
            ?? (TensorNames.Select(LayerIndex).Where(i => i >= 0).DefaultIfEmpty(-1).Max() + 1);
    }

    /// <summary>The model's name as the recipe writes it.</summary>
    public string Name { get; }

    /// <summary>Tensor names in checkpoint order.</summary>
    public IReadOnlyList<string> TensorNames { get; }

    /// <summary>Number of decoder layers (config.json's num_hidden_layers, else counted from names).</summary>
    public int NumLayers { get; }

    /// <summary>True when the model has the tensor.</summary>
    public bool Contains(string tensor) => _tensors.ContainsKey(tensor);

    /// <summary>Shape of a tensor.</summary>
    public ValueArray<long> Shape(string tensor) => _tensors[tensor].Shape;

    /// <summary>Stored dtype of a tensor.</summary>
    public torch.ScalarType Dtype(string tensor) => _tensors[tensor].Dtype;

    /// <summary>Reads names, shapes and dtypes from a checkpoint (and num_hidden_layers from config.json beside it).</summary>
    public static ModelInventory FromCheckpoint(string name, CheckpointReader reader)
    {
        int? layers = null;
        var config = Path.Combine(reader.Path, "config.json");
        if (Directory.Exists(reader.Path) && File.Exists(config))
        {
            try
            {
                if (JsonNode.Parse(File.ReadAllText(config))?["num_hidden_layers"] is JsonValue v)
                    layers = v.GetValue<int>();
            }
            catch (Exception e)
                when (e
                        is System.Text.Json.JsonException
                            or InvalidOperationException
                            or FormatException
                )
            {
                throw new SafetensorsException(
                    config,
                    null,
                    $"unreadable config.json ({e.Message})"
                );
            }
        }
        return new ModelInventory(
            name,
            reader.Names.Select(n =>
            {
                var info = reader.Info(n);
                return (n, info.Shape, info.Dtype.ToScalarType());
            }),
            layers
        );
    }

    /// <summary>Describes tensors already in memory (name → tensor).</summary>
    public static ModelInventory FromTensors(
        string name,
        IReadOnlyDictionary<string, torch.Tensor> tensors
    ) => new(name, tensors.Select(kv => (kv.Key, kv.Value.shape.ToValueArray(), kv.Value.dtype)));

    /// <summary>The decoder layer index in a tensor name (<c>model.layers.7.mlp...</c> → 7), or -1.</summary>
    public static int LayerIndex(string tensor)
    {
        var match = LayerPattern().Match(tensor);
        return match.Success
            ? int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture)
            : -1;
    }

    /// <summary>The same tensor name with its layer index replaced.</summary>
    public static string WithLayer(string tensor, int layer) =>
        LayerPattern().Replace(tensor, m => $"{m.Groups[1].Value}{layer}{m.Groups[3].Value}", 1);

    [GeneratedRegex(@"^(.*?\.layers\.)(\d+)(\..+)$")]
    private static partial Regex LayerPattern();
}
