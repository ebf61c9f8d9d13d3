namespace EvoMerge.Evaluation;

/// <summary>The model seam for multiple-choice tasks.</summary>
public interface ILogLikelihoodScorer
{
    /// <summary>
    /// For each request, the summed log-probability of the continuation's tokens given the context
    /// (natural log, in request order).
    /// </summary>
    IReadOnlyList<double> LogLikelihoods(IReadOnlyList<LogLikelihoodRequest> requests);
}
