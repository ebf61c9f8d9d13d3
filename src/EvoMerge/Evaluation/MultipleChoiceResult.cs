namespace EvoMerge.Evaluation;

/// <summary>The outcome of a multiple-choice evaluation.</summary>
/// <param name="TaskName">The set's name.</param>
/// <param name="Split">The set's split.</param>
/// <param name="Items">Every item's result, in order.</param>
/// <param name="Accuracy">Fraction right by raw log-likelihood (lm-eval's <c>acc</c>).</param>
/// <param name="NormalizedAccuracy">Fraction right by log-likelihood per character (lm-eval's <c>acc_norm</c>).</param>
/// <param name="Seconds">Wall time.</param>
public sealed record MultipleChoiceResult(
    string TaskName,
    TaskSplit Split,
    ValueArray<MultipleChoiceItemResult> Items,
    double Accuracy,
    double NormalizedAccuracy,
    double Seconds
);
