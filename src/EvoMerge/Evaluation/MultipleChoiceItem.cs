namespace EvoMerge.Evaluation;

/// <summary>A question with candidate answers, one of them right.</summary>
/// <param name="Question">The question.</param>
/// <param name="Choices">The candidate answers (at least two).</param>
/// <param name="AnswerIndex">The 0-based index of the right choice.</param>
public sealed record MultipleChoiceItem(
    string Question,
    ValueArray<string> Choices,
    int AnswerIndex
);
