using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;

namespace EvoMerge.Evolution.Reports;

/// <summary>Table rows for a DFS run on a held-out task: model A and model B alone, and the evolved path.</summary>
public static class DfsReport
{
    public static IReadOnlyList<ReportRow> Build(
        IGenomeEvaluator evaluator,
        IReadOnlyList<double> bestGenome,
        FitnessTask task
    )
    {
        var genomes =
            evaluator.Space as DfsGenomeSpace
            ?? throw new ArgumentException("a DFS report needs a DFS evaluator", nameof(evaluator));
        var rows = new List<ReportRow>();
        foreach (var model in new[] { genomes.Space.ModelA, genomes.Space.ModelB })
            rows.Add(ReportRow.From(model, evaluator.Score(new ModelPhenotype(model), task)));
        var path = genomes.Space.Decode(bestGenome);
        rows.Add(
            ReportRow.From(
                $"evolved DFS ({path.Length} layers)",
                evaluator.Score(new PathPhenotype(path), task)
            )
        );
        return rows;
    }
}
