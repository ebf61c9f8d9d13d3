using EvoMerge.Common;
using EvoMerge.Evaluation;

namespace EvoMerge.Evolution.Reports;

/// <summary>One row of a results table: a model or merge and its score on a held-out split.</summary>
/// <param name="Entry">The model or merge.</param>
/// <param name="Accuracy">Its metric on the split.</param>
/// <param name="Items">Items scored.</param>
/// <param name="Seconds">Wall time of the evaluation.</param>
/// <param name="Passed">Per item, whether it scored 1 (for paired tests between rows on the same items).</param>
public sealed record ReportRow(
    string Entry,
    double Accuracy,
    int Items,
    double Seconds,
    ValueArray<bool>? Passed = null
)
{
    /// <summary>A row from an evaluation, with its per-item outcomes.</summary>
    public static ReportRow From(string entry, EvaluationResult result) =>
        new(
            entry,
            result.Accuracy,
            result.Items.Count,
            result.Seconds,
            PairedTest.Passed(result).ToValueArray()
        );

    /// <summary>The exact McNemar test of this row against <paramref name="other"/> (same items), or null without outcomes.</summary>
    public McNemarResult? Against(ReportRow other) =>
        Passed is { } mine && other.Passed is { } theirs && mine.Count == theirs.Count
            ? PairedTest.McNemar(mine, theirs)
            : null;
}
