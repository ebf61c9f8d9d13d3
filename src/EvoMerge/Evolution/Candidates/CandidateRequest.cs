using EvoMerge.Common;
using EvoMerge.Evolution.Runs;

namespace EvoMerge.Evolution.Candidates;

/// <summary>"Score this genome": what any evaluator, in this process or on a worker, is handed.</summary>
/// <param name="Index">Position in the generation (results come back in any order and are put back by it).</param>
/// <param name="Genome">The genes; the evaluator decodes them with its own (equal) space.</param>
/// <param name="Seed">The merge seed of the random masks.</param>
/// <param name="Tasks">The fitness tasks, in order (a score per task comes back).</param>
public sealed record CandidateRequest(
    int Index,
    ValueArray<double> Genome,
    long Seed,
    ValueArray<FitnessTask> Tasks
);

/// <summary>What scoring one candidate gave.</summary>
/// <param name="Index">The request's index.</param>
/// <param name="Scores">A score per task (higher is better).</param>
/// <param name="Seconds">Time to build and score the candidate on its worker.</param>
/// <param name="Worker">Where it ran (in-process, or a worker's name).</param>
public sealed record CandidateResult(
    int Index,
    ValueArray<double> Scores,
    double Seconds,
    string Worker
)
{
    /// <summary>The single-objective fitness: the mean score over tasks.</summary>
    public double Fitness => Scores.Average();
}
