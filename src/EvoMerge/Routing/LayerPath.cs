using System.Text.Json;
using System.Text.Json.Nodes;
using EvoMerge.Common;

namespace EvoMerge.Routing;

/// <summary>
/// A serial, non-adaptive data-flow path through the layers of several models (the paper's DFS
/// phenotype). The first model named supplies embeddings, final norm and head. Stored as
/// <c>{"path":[{"model":..,"layer":..,"scale":..}]}</c> (scale optional, default 1).
/// </summary>
public sealed record LayerPath(ValueArray<PathStep> Steps)
{
    /// <summary>Distinct model names in order of first use.</summary>
    public IReadOnlyList<string> Models =>
        Steps.Select(s => s.Model).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>Number of layers executed.</summary>
    public int Length => Steps.Count;

    /// <summary>How many steps use each (model, layer).</summary>
    public IReadOnlyDictionary<(string Model, int Layer), int> Usage() =>
        Steps.GroupBy(s => (s.Model, s.Layer)).ToDictionary(g => g.Key, g => g.Count());

    /// <summary>Reads a path.json file; a malformed file raises <see cref="FormatException"/> naming it.</summary>
    public static LayerPath Load(string file)
    {
        try
        {
            return Parse(File.ReadAllText(file));
        }
        catch (Exception e)
            when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new FormatException($"{file}: not a layer path ({e.Message})", e);
        }
    }

    /// <summary>Parses the JSON form.</summary>
    public static LayerPath Parse(string json)
    {
        var root =
            JsonNode.Parse(json) as JsonObject
            ?? throw new FormatException("expected a JSON object");
        var steps =
            root["path"] as JsonArray ?? throw new FormatException("missing \"path\" array");
        var parsed = new List<PathStep>();
        foreach (var node in steps)
        {
            var step =
                node as JsonObject
                ?? throw new FormatException("each path entry must be an object");
            var model =
                step["model"]?.GetValue<string>()
                ?? throw new FormatException("path entry without \"model\"");
            var layer =
                step["layer"]?.GetValue<int>()
                ?? throw new FormatException("path entry without \"layer\"");
            var scale = step["scale"]?.GetValue<double>() ?? 1.0;
            if (layer < 0)
                throw new FormatException($"negative layer {layer}");
            parsed.Add(new PathStep(model, layer, scale));
        }
        if (parsed.Count == 0)
            throw new FormatException("empty path");
        return new LayerPath(parsed.ToValueArray());
    }

    /// <summary>The JSON form (stable formatting).</summary>
    public string ToJson()
    {
        var steps = new JsonArray();
        foreach (var s in Steps)
            steps.Add(
                new JsonObject
                {
                    ["model"] = s.Model,
                    ["layer"] = s.Layer,
                    ["scale"] = Math.Round(s.Scale, 12),
                }
            );
        return new JsonObject { ["path"] = steps }.ToJsonString(
            new JsonSerializerOptions { WriteIndented = true }
        );
    }

    /// <summary>Writes path.json atomically.</summary>
    public void Save(string file) => Common.AtomicFile.WriteAllText(file, ToJson());
}
