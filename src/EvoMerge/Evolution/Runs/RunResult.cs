using EvoMerge.Common;

namespace EvoMerge.Evolution.Runs;

/// <summary>How a run ended and where its files are.</summary>
/// <param name="Folder">runs/&lt;name&gt;/.</param>
/// <param name="BestGenome">The best genome on the fitness tasks.</param>
/// <param name="BestFitness">Its mean fitness score.</param>
/// <param name="Evaluations">Genomes scored.</param>
/// <param name="Generations">Generations completed.</param>
/// <param name="Seconds">Wall time (resumed runs add up their segments).</param>
/// <param name="Interrupted">True when cancelled (Ctrl-C); the folder holds the state after the last full generation.</param>
/// <param name="StopReason">Budget, or the optimizer's own stop reason.</param>
public sealed record RunResult(
    string Folder,
    ValueArray<double> BestGenome,
    double BestFitness,
    long Evaluations,
    int Generations,
    double Seconds,
    bool Interrupted,
    string StopReason
);
