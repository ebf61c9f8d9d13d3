using EvoMerge.Common;

namespace EvoMerge.Evolution.Runs;

/// <summary>What scoring one genome produced: a score per fitness task (higher is better), the
/// decoded phenotype as text (mergekit YAML or path JSON) and the time taken.</summary>
public sealed record GenomeEvaluation(ValueArray<double> Scores, string Phenotype, double Seconds)
{
    /// <summary>The single-objective fitness: the mean score over tasks.</summary>
    public double Fitness => Scores.Average();
}
