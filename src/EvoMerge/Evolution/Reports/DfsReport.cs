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
            rows.Add(new ReportRow(model, alone.Accuracy, alone.Items.Count, alone.Seconds));
        }
        var evolved = evaluator.Score(bestGenome, task);
        rows.Add(
            new ReportRow(
                $"evolved DFS ({evaluator.Space.Decode(bestGenome).Length} layers)",
                evolved.Accuracy,
                evolved.Items.Count,
                evolved.Seconds
            )
        );
        return rows;
    }
}
