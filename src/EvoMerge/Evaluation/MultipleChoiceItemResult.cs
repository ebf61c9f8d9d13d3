namespace EvoMerge.Evaluation;

/// <summary>One scored multiple-choice item.</summary>
/// <param name="Index">The item's position in its set.</param>
/// <param name="LogLikelihoods">Each choice's summed log-likelihood.</param>
/// <param name="Chosen">The choice with the highest log-likelihood (first on ties).</param>
/// <param name="ChosenNormalized">The choice with the highest log-likelihood per character.</param>
/// <param name="Correct">Chosen is the answer.</param>
/// <param name="CorrectNormalized">ChosenNormalized is the answer.</param>
public sealed record MultipleChoiceItemResult(
    int Index,
    ValueArray<double> LogLikelihoods,
    int Chosen,
    int ChosenNormalized,
    bool Correct,
    bool CorrectNormalized
);
