namespace EvoMerge.Cluster.Benchmarks;

/// <summary>One setting of <see cref="ClusterBenchmark"/>: the same candidates in this process (0 workers) or on N workers.</summary>
/// <param name="Setting">"in-process" or "N worker(s)".</param>
/// <param name="Workers">Worker processes started (0 = in-process).</param>
/// <param name="Seconds">Wall time of the timed batch.</param>
/// <param name="Candidates">Candidates in the timed batch.</param>
/// <param name="Scoring">Seconds spent scoring, summed over candidates (inside the evaluator, on its worker).</param>
/// <param name="WorkersUsed">Distinct workers that returned results (0 = in-process).</param>
public sealed record ClusterBenchmarkRow(
    string Setting,
    int Workers,
    double Seconds,
    int Candidates,
    double Scoring,
    int WorkersUsed
)
{
    /// <summary>Wall time per candidate not spent scoring: calls, JSON, scheduling (1 worker: all of it is overhead).</summary>
    public double Overhead => (Seconds * Math.Max(Workers, 1) - Scoring) / Candidates;

    public double PerSecond => Candidates / Seconds;
    public double PerCandidate => Seconds / Candidates;
}
