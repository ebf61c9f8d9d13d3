namespace EvoMerge.Evolution.Runs;

/// <summary>Reported after every scored genome.</summary>
/// <param name="Generation">The generation being scored.</param>
/// <param name="Evaluations">Candidates scored so far.</param>
/// <param name="Budget">The run's budget.</param>
/// <param name="BestFitness">Best fitness so far.</param>
/// <param name="LastFitness">The last candidate's fitness.</param>
/// <param name="Elapsed">Wall time (resumed runs add up their segments).</param>
/// <param name="Worker">Where the last candidate ran (in-process or a worker's name).</param>
/// <param name="LastSeconds">How long the last candidate took on its worker.</param>
public sealed record RunProgress(
    int Generation,
    long Evaluations,
    int Budget,
    double BestFitness,
    double LastFitness,
    TimeSpan Elapsed,
    string Worker = Candidates.CandidateEvaluators.InProcess,
    double LastSeconds = 0
);
