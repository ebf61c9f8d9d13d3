using EvoMerge.Evolution.Runs;

namespace EvoMerge.Evolution.Reports;

/// <summary>Table rows for a DFS run on a held-out task: model A and model B alone, and the evolved path.</summary>
public static class DfsReport
{
    public static IReadOnlyList<ReportRow> Build(
        DfsGenomeEvaluator evaluator,
        IReadOnlyList<double> bestGenome,
        FitnessTask task
    )
    {
        var space = evaluator.Space;
        var rows = new List<ReportRow>();
        foreach (var model in new[] { space.ModelA, space.ModelB })
        {
            var alone = evaluator.ScoreModel(model, task);
            rows.Add(ReportRow.From(model, alone));
        }
        var evolved = evaluator.Score(bestGenome, task);
        rows.Add(
            ReportRow.From(
                $"evolved DFS ({evaluator.Space.Decode(bestGenome).Length} layers)",
                evolved
            )
        );
        return rows;
    }
}
