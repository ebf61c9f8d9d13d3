using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace EvoMerge.Plots;

/// <summary>Pareto front of two objectives: every candidate in grey, the front highlighted and joined.</summary>
public static class ParetoChart
{
    /// <summary>Builds the chart for objectives <paramref name="x"/> and <paramref name="y"/> (indices into the names).</summary>
    public static GenericChart Create(
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
        var charts = new List<GenericChart>
        {
            Chart.Point<double, double, string>(
                dominated.Select(p => p.Objectives[x]),
                dominated.Select(p => p.Objectives[y]),
                Name: "dominated",
                MultiText: dominated.Select(p => p.Label ?? "").ToArray(),
                MarkerColor: Color.fromHex("#9a9a9a")
            ),
            Chart.Line<double, double, string>(
                front.Select(p => p.Objectives[x]),
                front.Select(p => p.Objectives[y]),
                Name: "Pareto front",
                ShowMarkers: true,
                MultiText: front.Select(p => p.Label ?? "").ToArray(),
                LineColor: ChartStyle.ColorAt(1),
                MarkerColor: ChartStyle.ColorAt(1)
            ),
        };
        return Chart
            .Combine(charts)
            .WithXAxisStyle<double, double, string>(TitleText: set.ObjectiveNames[x])
            .WithYAxisStyle<double, double, string>(TitleText: set.ObjectiveNames[y])
            .Titled(title);
    }
}
