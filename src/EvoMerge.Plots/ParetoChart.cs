namespace EvoMerge.Plots;

/// <summary>Pareto front of two objectives: every candidate in grey, the front highlighted and joined.</summary>
public static class ParetoChart
{
    /// <summary>Builds the chart for objectives <paramref name="x"/> and <paramref name="y"/> (indices into the names).</summary>
    public static PlotlyFigure Create(
        ParetoSet set,
        int x = 0,
        int y = 1,
        string title = "Pareto front"
    )
    {
        var points = ChartStyle.RequireAny(set.Points, nameof(set));
        var needed = Math.Max(x, y) + 1;
        if (x < 0 || y < 0 || set.ObjectiveNames.Count < needed)
            throw new ArgumentException(
                $"Objectives {x} and {y} requested; {set.ObjectiveNames.Count} are named.",
                nameof(set)
            );
        var shortRow = points.FirstOrDefault(p => p.Objectives.Count < needed);
        if (shortRow is not null)
            throw new ArgumentException(
                $"A point has {shortRow.Objectives.Count} objectives; {needed} are needed.",
                nameof(set)
            );
        var dominated = points.Where(p => !p.OnFront).ToArray();
        // The front is drawn in x order so the line reads as a trade-off curve.
        var front = points.Where(p => p.OnFront).OrderBy(p => p.Objectives[x]).ToArray();
        return Traces.Figure(
            Traces.Layout(
                title,
                ("xaxis", Traces.Axis(set.ObjectiveNames[x])),
                ("yaxis", Traces.Axis(set.ObjectiveNames[y]))
            ),
            [
                Traces.Scatter(
                    dominated.Select(p => p.Objectives[x]),
                    dominated.Select(p => p.Objectives[y]),
                    "dominated",
                    "markers",
                    ChartStyle.Grey,
                    text: dominated.Select(p => p.Label ?? "")
                ),
                Traces.Scatter(
                    front.Select(p => p.Objectives[x]),
                    front.Select(p => p.Objectives[y]),
                    "Pareto front",
                    "lines+markers",
                    ChartStyle.ColorAt(1),
                    text: front.Select(p => p.Label ?? "")
                ),
            ]
        );
    }
}
