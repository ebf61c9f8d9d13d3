namespace EvoMerge.Evolution.Candidates;

/// <summary>
/// The evaluation seam (design.md): a batch of requests → their results. The run loop, reports and
/// the CLI use only this and <see cref="IGenomeSpace"/>; implementations own the models (in this
/// process) or spread the batch over workers (a cluster). Results may arrive in any order.
/// </summary>
public interface ICandidateEvaluator : IDisposable
{
    /// <summary>The (pure) space the requests' genomes belong to.</summary>
    IGenomeSpace Space { get; }

    /// <summary>
    /// Scores every request; <paramref name="progress"/> hears each result as it comes. Cancelling
    /// stops between candidates with <see cref="OperationCanceledException"/>.
    /// </summary>
    IReadOnlyList<CandidateResult> Evaluate(
        IReadOnlyList<CandidateRequest> batch,
        IProgress<CandidateResult>? progress = null,
        CancellationToken cancellation = default
    );
}
