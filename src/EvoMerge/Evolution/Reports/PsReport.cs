using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;
using EvoMerge.Recipes;

namespace EvoMerge.Evolution.Reports;

/// <summary>
/// The paper's Table 1 rows for a PS run, scored on a held-out task (validation or test): each source
/// alone, the untuned TIES and DARE-TIES merges (density 0.5, weight 1 per model, mergekit's default
/// normalize), and the evolved recipe. Everything reuses the evaluator's loaded sources and live model;
/// any in-process evaluator of a PS space will do (no evaluator class is named).
/// </summary>
public static class PsReport
{
    public static IReadOnlyList<ReportRow> Build(
        IGenomeEvaluator evaluator,
        IReadOnlyList<double> bestGenome,
        FitnessTask task
    )
    {
        var genomes =
            evaluator.Space as PsGenomeSpace
            ?? throw new ArgumentException("a PS report needs a PS evaluator", nameof(evaluator));
        var space = genomes.Space;
        var rows = new List<ReportRow>();
        foreach (var source in space.Sources)
            rows.Add(Row(source, evaluator.Score(new ModelPhenotype(source), task)));
        rows.Add(
            Row("untuned TIES", evaluator.Score(new MergePhenotype(Untuned("ties", space)), task))
        );
        rows.Add(
            Row(
                "untuned DARE-TIES",
                evaluator.Score(new MergePhenotype(Untuned("dare_ties", space)), task)
            )
        );
        rows.Add(Row("evolved PS", evaluator.Score(genomes.Decode(bestGenome), task)));
        return rows;
    }

    /// <summary>A source on its own, as a one-model linear merge into the live model.</summary>
    public static MergeRecipe Single(string source) =>
        MergeRecipe.ForModels(
            "linear",
            null,
            [new RecipeModel(source, ParameterMap.Of(("weight", ParameterValue.Of(1.0))))]
        );

    /// <summary>What a user would write by hand: density 0.5 and weight 1 for every model, normalize on.</summary>
    public static MergeRecipe Untuned(string method, Genomes.PsSpace space) =>
        MergeRecipe.ForModels(
            method,
            space.BaseModel,
            space.Sources.Select(s => new RecipeModel(
                s,
                ParameterMap.Of(
                    ("density", ParameterValue.Of(0.5)),
                    ("weight", ParameterValue.Of(1.0))
                )
            )),
            ParameterMap.Of(("normalize", ParameterValue.Of(true)))
        );

    static ReportRow Row(string entry, Evaluation.EvaluationResult result) =>
        ReportRow.From(entry, result);
}
