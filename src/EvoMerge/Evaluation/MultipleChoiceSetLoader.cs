using System.Text.Json;
using EvoMerge.Common;

namespace EvoMerge.Evaluation;

/// <summary>
/// Reads multiple-choice files: JSONL, one <c>{"question": ..., "choices": [...], "answer": 1}</c>
/// per line (answer = 0-based index of the right choice). Name and split come from the file name
/// as in <see cref="TaskSetLoader.Load"/>.
/// </summary>
public static class MultipleChoiceSetLoader
{
    /// <summary>Loads a multiple-choice file.</summary>
    /// <exception cref="TaskFileException">The file is missing, empty, or a line is malformed.</exception>
    public static MultipleChoiceSet Load(string path, TaskSplit? split = null, string? name = null)
    {
        var (inferredName, inferredSplit) = TaskSetLoader.NameAndSplit(path);
        var items = new List<MultipleChoiceItem>();
        foreach (var (line, number) in TaskSetLoader.ReadLines(path))
        {
            var obj = TaskSetLoader.ParseObject(path, number, line);
            var question = TaskSetLoader.RequiredString(path, number, obj, "question");
            if (
                !obj.TryGetProperty("choices", out var choicesElement)
                || choicesElement.ValueKind != JsonValueKind.Array
            )
                throw new TaskFileException(
                    path,
                    number,
                    "\"choices\" must be an array of strings"
                );
            var choices = new List<string>();
            foreach (var c in choicesElement.EnumerateArray())
                choices.Add(
                    c.ValueKind == JsonValueKind.String
                        ? c.GetString()!
                        : throw new TaskFileException(
                            path,
                            number,
                            "\"choices\" must be an array of strings"
                        )
                );
            if (choices.Count < 2)
                throw new TaskFileException(path, number, "\"choices\" needs at least two entries");
            if (
                !obj.TryGetProperty("answer", out var answerElement)
                || answerElement.ValueKind != JsonValueKind.Number
                || !answerElement.TryGetInt32(out var answer)
                || answer < 0
                || answer >= choices.Count
            )
                throw new TaskFileException(
                    path,
                    number,
                    $"\"answer\" must be an index into \"choices\" (0..{choices.Count - 1})"
                );
            items.Add(new MultipleChoiceItem(question, new ValueArray<string>(choices), answer));
        }
        if (items.Count == 0)
            throw new TaskFileException(path, null, "the file holds no items");
        return new MultipleChoiceSet(
            name ?? inferredName,
            split ?? inferredSplit ?? TaskSplit.Train,
            new ValueArray<MultipleChoiceItem>(items),
            path
        );
    }
}
