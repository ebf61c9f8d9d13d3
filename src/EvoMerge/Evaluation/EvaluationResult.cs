namespace EvoMerge.Evaluation;

/// <summary>The outcome of one evaluation.</summary>
/// <param name="TaskName">The task set's name.</param>
/// <param name="Split">The task set's split.</param>
/// <param name="MetricName">The metric's name (<see cref="TaskMetric.Name"/>).</param>
/// <param name="Items">Every item's result, in task order.</param>
/// <param name="Accuracy">The mean item score (for exact-match metrics the fraction correct).</param>
/// <param name="Seconds">Wall time of the evaluation, generation included.</param>
public sealed record EvaluationResult(
    string TaskName,
    TaskSplit Split,
    string MetricName,
    ValueArray<EvaluatedItem> Items,
    double Accuracy,
    double Seconds
)
{
    /// <summary>The number of items whose last number was right (language ignored).</summary>
    public int CorrectCount => Items.Count(i => i.Correct);

    /// <summary>The number of items whose answer passed the language check.</summary>
    public int InLanguageCount => Items.Count(i => i.InLanguage);
}
