using EvoMerge.Evolution.Runs;
using static TorchSharp.torch;

namespace EvoMerge.Evolution.Candidates;

/// <summary>The in-process evaluator a config asks for (notebooks and scripts need not name evaluator classes).</summary>
public static class CandidateEvaluators
{
    /// <summary>Loads the config's models onto <paramref name="device"/> and returns the evaluator of its mode.</summary>
    public static IGenomeEvaluator Create(ExperimentConfig config, Device device) =>
        config.Mode switch
        {
            SearchMode.Ps or SearchMode.Nsga2 => new PsGenomeEvaluator(config, device),
            SearchMode.Dfs or SearchMode.PsDfs => new DfsGenomeEvaluator(config, device),
            _ => throw new ArgumentOutOfRangeException(nameof(config)),
        };

    /// <summary>
    /// The shared batch loop of in-process evaluators: one candidate after another, cancellable
    /// between candidates, each result reported as it is scored.
    /// </summary>
    internal static IReadOnlyList<CandidateResult> Sequential(
        IReadOnlyList<CandidateRequest> batch,
        Func<CandidateRequest, IReadOnlyList<double>> score,
        string worker,
        IProgress<CandidateResult>? progress,
        CancellationToken cancellation
    )
    {
        var results = new List<CandidateResult>(batch.Count);
        foreach (var request in batch)
        {
            cancellation.ThrowIfCancellationRequested();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var scores = score(request);
            var result = new CandidateResult(
                request.Index,
                new Common.ValueArray<double>(scores),
                clock.Elapsed.TotalSeconds,
                worker
            );
            results.Add(result);
            progress?.Report(result);
        }
        return results;
    }

    /// <summary>The name results from this process carry.</summary>
    public const string InProcess = "in-process";
}
