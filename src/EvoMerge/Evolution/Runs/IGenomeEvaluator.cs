using EvoMerge.Evaluation;
using EvoMerge.Evolution.Optimizers;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// "Evaluate this genome" as a request → result boundary (design.md's seam: a distributed engine can
/// take it over without touching the optimizer). Implementations own the loaded models.
/// </summary>
public interface IGenomeEvaluator : IDisposable
{
    /// <summary>Genome length.</summary>
    int Dimension { get; }

    /// <summary>Where the search starts.</summary>
    IReadOnlyList<double> InitialGenome { get; }

    /// <summary>Box bounds of the genes, or null (unbounded).</summary>
    BoxBounds? Bounds { get; }

    /// <summary>Decodes, builds the candidate and scores it on the fitness tasks.</summary>
    GenomeEvaluation Evaluate(IReadOnlyList<double> genome);

    /// <summary>Scores a genome on any task (the validation/test report; never used for selection).</summary>
    EvaluationResult Score(IReadOnlyList<double> genome, FitnessTask task);

    /// <summary>The decoded phenotype as text (mergekit YAML with model paths, or path JSON).</summary>
    string Describe(IReadOnlyList<double> genome);

    /// <summary>File name of the best phenotype in the run folder (best.yaml or best-path.json).</summary>
    string BestFileName { get; }
}
