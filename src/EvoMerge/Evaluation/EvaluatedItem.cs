namespace EvoMerge.Evaluation;

/// <summary>One scored item.</summary>
/// <param name="Index">The item's position in its task set.</param>
/// <param name="Prompt">The rendered prompt.</param>
/// <param name="Output">The raw continuation from the generator.</param>
/// <param name="Answer">The continuation after <see cref="AnswerText.Cut"/>: what was scored.</param>
/// <param name="Gold">The gold number (canonical), or null when the reference has none.</param>
/// <param name="Predicted">The last number of <paramref name="Answer"/> (canonical), or null.</param>
/// <param name="Correct">Predicted equals gold.</param>
/// <param name="JapaneseShare">The share of Japanese letters in the answer (<see cref="JapaneseScript.Share"/>).</param>
/// <param name="InLanguage">The share is above the metric's threshold (the default 0.5 for metrics without one).</param>
/// <param name="Score">The metric's score for this item, in [0, 1].</param>
public sealed record EvaluatedItem(
    int Index,
    string Prompt,
    string Output,
    string Answer,
    string? Gold,
    string? Predicted,
    bool Correct,
    double JapaneseShare,
    bool InLanguage,
    double Score
);
