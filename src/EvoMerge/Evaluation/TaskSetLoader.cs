using System.Text.Json;
using EvoMerge.Common;

namespace EvoMerge.Evaluation;

/// <summary>
/// Reads task files: JSONL, one <c>{"question": ..., "answer": ...}</c> object per line (other fields
/// ignored, blank lines skipped).
/// </summary>
public static class TaskSetLoader
{
    static readonly (string Suffix, TaskSplit Split)[] SplitSuffixes =
    [
        ("_train", TaskSplit.Train),
        ("_validation", TaskSplit.Validation),
        ("_valid", TaskSplit.Validation),
        ("_val", TaskSplit.Validation),
        ("_dev", TaskSplit.Validation),
        ("_test", TaskSplit.Test),
    ];

    /// <summary>
    /// Loads a task file. Name and split come from the file name (<c>ja_math_test.jsonl</c> →
    /// <c>ja_math</c>, <see cref="TaskSplit.Test"/>; suffixes <c>_train</c>, <c>_validation</c>,
    /// <c>_valid</c>, <c>_val</c>, <c>_dev</c>, <c>_test</c>); a file without a suffix is a training
    /// set unless <paramref name="split"/> says otherwise.
    /// </summary>
    /// <exception cref="TaskFileException">The file is missing, empty, or a line is malformed.</exception>
    public static TaskSet Load(string path, TaskSplit? split = null, string? name = null)
    {
        var (inferredName, inferredSplit) = NameAndSplit(path);
        var items = new List<TaskItem>();
        foreach (var (line, number) in ReadLines(path))
            items.Add(ParseItem(path, number, line));
        if (items.Count == 0)
            throw new TaskFileException(path, null, "the file holds no items");
        return new TaskSet(
            name ?? inferredName,
            split ?? inferredSplit ?? TaskSplit.Train,
            new ValueArray<TaskItem>(items),
            path
        );
    }

    /// <summary>The task name and split a file name implies (split null when it has no suffix).</summary>
    public static (string Name, TaskSplit? Split) NameAndSplit(string path)
    {
        var stem = Path.GetFileNameWithoutExtension(path);
        foreach (var (suffix, split) in SplitSuffixes)
            if (stem.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
                return (stem[..^suffix.Length], split);
        return (stem, null);
    }

    /// <summary>Non-blank lines with their 1-based numbers; a missing file is a <see cref="TaskFileException"/>.</summary>
    internal static IEnumerable<(string Line, int Number)> ReadLines(string path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TaskFileException(path, null, "cannot be read: " + e.Message, e);
        }
        for (var i = 0; i < lines.Length; i++)
            if (!string.IsNullOrWhiteSpace(lines[i]))
                yield return (lines[i], i + 1);
    }

    /// <summary>Parses one line as a JSON object, or throws naming the line.</summary>
    internal static JsonElement ParseObject(string path, int number, string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new TaskFileException(
                    path,
                    number,
                    $"expected a JSON object, found {doc.RootElement.ValueKind}"
                );
            return doc.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new TaskFileException(path, number, "invalid JSON: " + e.Message, e);
        }
    }

    /// <summary>A required non-empty string field.</summary>
    internal static string RequiredString(string path, int number, JsonElement obj, string field)
    {
        if (!obj.TryGetProperty(field, out var value))
            throw new TaskFileException(path, number, $"missing \"{field}\"");
        if (value.ValueKind != JsonValueKind.String)
            throw new TaskFileException(
                path,
                number,
                $"\"{field}\" must be a string, found {value.ValueKind}"
            );
        var text = value.GetString()!;
        return text.Length == 0
            ? throw new TaskFileException(path, number, $"\"{field}\" is empty")
            : text;
    }

    static TaskItem ParseItem(string path, int number, string line)
    {
        var obj = ParseObject(path, number, line);
        return new TaskItem(
            RequiredString(path, number, obj, "question"),
            RequiredString(path, number, obj, "answer")
        );
    }
}
