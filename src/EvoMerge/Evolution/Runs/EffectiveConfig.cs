using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// The config a run actually ran with (after <c>--budget</c>, quick mode and CLI overrides), as JSON:
/// the run folder's <c>config.json</c>, the record a resume is checked against and what a worker
/// process is handed to build its evaluator. Round-trips to an equal <see cref="ExperimentConfig"/>.
/// </summary>
public static class EffectiveConfig
{
    /// <summary>Fields a resume may change: the budget (continuing a run further is a prefix of the
    /// longer run) and where the YAML was read from.</summary>
    public static readonly IReadOnlySet<string> MayChangeOnResume = new HashSet<string>
    {
        "budget",
        "source_file",
    };

    static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        // Doubles must come back bit for bit (σ = 1/6, initial_off).
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToJson(ExperimentConfig config) =>
        JsonSerializer.Serialize(config, Options) + "\n";

    /// <summary>Reads a record written by <see cref="ToJson"/>; a damaged file is a <see cref="RunFolderException"/>.</summary>
    public static ExperimentConfig FromJson(string json, string file)
    {
        try
        {
            return JsonSerializer.Deserialize<ExperimentConfig>(json, Options)
                ?? throw new JsonException("null");
        }
        catch (JsonException e)
        {
            throw new RunFolderException(
                file,
                $"damaged effective config ({e.Message.ReplaceLineEndings(" ")})"
            );
        }
    }

    /// <summary>The first field (snake_case) whose value differs, with both values as JSON, or null when
    /// the two records agree on every field not in <paramref name="ignored"/>.</summary>
    public static (string Field, string Stored, string Given)? FirstDifference(
        ExperimentConfig stored,
        ExperimentConfig given,
        IReadOnlySet<string>? ignored = null
    )
    {
        var a = JsonSerializer.SerializeToNode(stored, Options)!.AsObject();
        var b = JsonSerializer.SerializeToNode(given, Options)!.AsObject();
        foreach (var name in a.Select(p => p.Key).Union(b.Select(p => p.Key)))
        {
            if (ignored?.Contains(name) == true)
                continue;
            var x = a[name];
            var y = b[name];
            if (!JsonNode.DeepEquals(x, y))
                return (name, Text(x), Text(y));
        }
        return null;
    }

    static string Text(JsonNode? node) =>
        node?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null";
}
