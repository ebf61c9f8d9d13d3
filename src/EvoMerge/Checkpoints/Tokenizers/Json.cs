using System.Text.Json;

namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>JSON reading that turns every failure into a <see cref="TokenizerLoadException"/> naming the file.</summary>
internal static class Json
{
    public static JsonDocument Parse(string path)
    {
        try
        {
            return JsonDocument.Parse(
                File.ReadAllBytes(path),
                new JsonDocumentOptions
                {
                    AllowTrailingCommas = true,
                    CommentHandling = JsonCommentHandling.Skip,
                }
            );
        }
        catch (JsonException e)
        {
            throw new TokenizerLoadException(path, "is not valid JSON: " + e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerLoadException(path, "cannot be read: " + e.Message, e);
        }
    }

    public static JsonElement Object(JsonElement parent, string name, string path) =>
        parent.ValueKind == JsonValueKind.Object
        && parent.TryGetProperty(name, out var e)
        && e.ValueKind == JsonValueKind.Object
            ? e
            : throw new TokenizerLoadException(path, $"\"{name}\" is missing or not an object");

    public static JsonElement Array(JsonElement parent, string name, string path) =>
        parent.ValueKind == JsonValueKind.Object
        && parent.TryGetProperty(name, out var e)
        && e.ValueKind == JsonValueKind.Array
            ? e
            : throw new TokenizerLoadException(path, $"\"{name}\" is missing or not an array");
}
