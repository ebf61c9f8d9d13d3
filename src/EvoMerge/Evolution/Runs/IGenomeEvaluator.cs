using EvoMerge.Evaluation;
using EvoMerge.Evolution.Candidates;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// An evaluator in this process, with its models loaded: the candidate seam plus scoring any
/// phenotype on any task (the validation/test reports; never used for selection).
/// </summary>
public interface IGenomeEvaluator : ICandidateEvaluator
{
    /// <summary>Scores a recipe, a path or one loaded model on <paramref name="task"/> (merge seed: the config's).</summary>
    EvaluationResult Score(Phenotype phenotype, FitnessTask task);
}
