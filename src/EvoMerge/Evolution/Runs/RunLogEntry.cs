using EvoMerge.Common;

namespace EvoMerge.Evolution.Runs;

/// <summary>One line of log.jsonl: one scored genome.</summary>
/// <param name="Generation">Generation (0-based).</param>
/// <param name="Index">Position in the generation.</param>
/// <param name="Genome">The genes.</param>
/// <param name="Scores">Score per fitness task, by task name.</param>
/// <param name="Fitness">Mean score (what CMA-ES maximizes).</param>
/// <param name="Phenotype">Decoded recipe (mergekit YAML) or path (JSON).</param>
/// <param name="Seconds">Time to merge/route and score.</param>
public sealed record RunLogEntry(
    int Generation,
    int Index,
    ValueArray<double> Genome,
    ValueMap<string, double> Scores,
    double Fitness,
    string Phenotype,
    double Seconds
);

/// <summary>One line of generations.jsonl: a generation's summary (for fitness and trajectory plots).</summary>
public sealed record GenerationSummary(
    int Generation,
    long Evaluations,
    double Best,
    double Mean,
    double BestSoFar,
    double? Sigma,
    ValueArray<double>? MeanGenome
);
