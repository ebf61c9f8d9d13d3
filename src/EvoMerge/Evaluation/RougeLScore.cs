namespace EvoMerge.Evaluation;

/// <summary>ROUGE-L of one candidate against one reference.</summary>
/// <param name="Precision">LCS length / candidate tokens.</param>
/// <param name="Recall">LCS length / reference tokens.</param>
/// <param name="F">The F-measure with β = 1 (as Google's rouge-score package reports).</param>
public sealed record RougeLScore(double Precision, double Recall, double F);
