using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// JSON for optimizer states, candidates and RNG states. Doubles are written in their shortest
/// round-trip form, so a state read back continues bit-for-bit like the one that was written.
/// </summary>
public static class OptimizerJson
{
    /// <summary>The options every optimizer record is written and read with.</summary>
    public static JsonSerializerOptions Options { get; } =
        new(JsonSerializerDefaults.Web)
        {
            WriteIndented = true,
            Converters = { new JsonStringEnumConverter() },
            UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        };

    /// <summary>Writes <paramref name="value"/> as JSON.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a <typeparamref name="T"/> from JSON (throws <see cref="JsonException"/> on malformed or incomplete input).</summary>
    public static T Deserialize<T>(string json) =>
        JsonSerializer.Deserialize<T>(json, Options)
        ?? throw new JsonException($"Expected a {typeof(T).Name}, found null.");
}
