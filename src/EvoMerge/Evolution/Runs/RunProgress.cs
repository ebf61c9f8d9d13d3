namespace EvoMerge.Evolution.Runs;

/// <summary>Reported after every scored genome.</summary>
public sealed record RunProgress(
    int Generation,
    long Evaluations,
    int Budget,
    double BestFitness,
    double LastFitness,
    TimeSpan Elapsed
);
