namespace EvoMerge.Evaluation;

/// <summary>A named task split: the items of one JSONL file.</summary>
/// <param name="Name">The task's name, e.g. <c>ja_math</c> (the file name without the split suffix).</param>
/// <param name="Split">Which split the items are.</param>
/// <param name="Items">The items, in file order.</param>
/// <param name="SourcePath">The file the items came from, or null for an in-memory set.</param>
public sealed record TaskSet(
    string Name,
    TaskSplit Split,
    ValueArray<TaskItem> Items,
    string? SourcePath = null
)
{
    /// <summary>The first <paramref name="count"/> items (all when there are fewer), for small budgets.</summary>
    public TaskSet Take(int count) =>
        count < 0
            ? throw new ArgumentOutOfRangeException(nameof(count), count, "must be >= 0")
            : this with
            {
                Items = new ValueArray<TaskItem>(Items.Take(count)),
            };
}
