namespace EvoMerge.Evaluation;

/// <summary>A named multiple-choice split.</summary>
public sealed record MultipleChoiceSet(
    string Name,
    TaskSplit Split,
    ValueArray<MultipleChoiceItem> Items,
    string? SourcePath = null
);
