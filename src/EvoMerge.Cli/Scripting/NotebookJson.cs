using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvoMerge.Cli.Scripting;

/// <summary>
/// Reads and writes <c>.ipynb</c> JSON the way Jupyter does (one-space indent, multi-line strings as
/// arrays of lines, non-ASCII kept as is, a final newline), so re-running a notebook leaves a small diff.
/// </summary>
public static class NotebookJson
{
    static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Parses a notebook file; throws <see cref="InvalidDataException"/> naming the file when it is not nbformat 4.</summary>
    public static JsonObject Load(string path)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path, Encoding.UTF8));
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{path}: not valid notebook JSON ({ex.Message})", ex);
        }
        if (
            node is not JsonObject notebook
            || notebook["cells"] is not JsonArray
            || notebook["nbformat"]?.GetValue<int>() != 4
        )
            throw new InvalidDataException(
                $"{path}: not an nbformat 4 notebook (needs \"nbformat\": 4 and \"cells\")"
            );
        return notebook;
    }

    /// <summary>The notebook as text, formatted like Jupyter's own writer.</summary>
    public static string Serialize(JsonObject notebook) =>
        notebook.ToJsonString(WriteOptions).Replace("\r\n", "\n") + "\n";

    /// <summary>Writes <paramref name="notebook"/> to a temporary file beside <paramref name="path"/>, then renames it.</summary>
    public static void Save(JsonObject notebook, string path)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var temp = $"{full}.tmp-{Environment.ProcessId}";
        try
        {
            File.WriteAllText(temp, Serialize(notebook), new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
                File.Delete(temp);
        }
    }

    /// <summary>A cell's source: nbformat allows one string or an array of line strings.</summary>
    public static string Source(JsonNode? source) =>
        source switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
            JsonValue text => text.GetValue<string>(),
            _ => "",
        };

    /// <summary>Text as nbformat's array of lines, each keeping its "\n" except the last.</summary>
    public static JsonArray Lines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        text = text.Replace("\r\n", "\n");
        while (start < text.Length)
        {
            var end = text.IndexOf('\n', start);
            var next = end < 0 ? text.Length : end + 1;
            lines.Add(text[start..next]);
            start = next;
        }
        return lines;
    }
}
