namespace EvoMerge.Evaluation;

/// <summary>
/// One question and its reference answer. GSM8k-style answers end with <c>#### 42</c>; the gold
/// number is the number after the last <c>####</c>, else the last number in the answer.
/// </summary>
public sealed record TaskItem(string Question, string Answer)
{
    /// <summary>The canonical gold number (see <see cref="Numbers.Canonical"/>), or null when the answer has none.</summary>
    public string? GoldNumber => Numbers.Gold(Answer);
}
