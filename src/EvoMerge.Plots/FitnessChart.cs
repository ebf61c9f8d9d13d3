using System.Text.Json.Nodes;

namespace EvoMerge.Plots;

/// <summary>Fitness per generation: best and mean on the left axis, population σ on a right axis.</summary>
public static class FitnessChart
{
    /// <summary>Builds the chart; σ gets its own axis because it is often an order of magnitude smaller.</summary>
    public static PlotlyFigure Create(
        IEnumerable<FitnessPoint> points,
        string title = "Fitness per generation"
    )
    {
        var data = ChartStyle.RequireAny(points, nameof(points));
        var generations = data.Select(p => p.Generation).ToArray();
        var layout = Traces.Layout(
            title,
            ("xaxis", Traces.Axis("generation")),
            ("yaxis", Traces.Axis("fitness")),
            ("yaxis2", Traces.Axis("σ (population)", ("side", "right"), ("overlaying", "y"))),
            // Above the plot: on the right the legend would cover the σ axis.
            (
                "legend",
                new JsonObject
                {
                    ["orientation"] = "h",
                    ["x"] = 0,
                    ["y"] = 1.02,
                    ["yanchor"] = "bottom",
                }
            )
        );
        return Traces.Figure(
            layout,
            [
                Traces.Scatter(
                    generations,
                    data.Select(p => p.Best),
                    "best",
                    "lines+markers",
                    ChartStyle.ColorAt(0)
                ),
                Traces.Scatter(
                    generations,
                    data.Select(p => p.Mean),
                    "mean",
                    "lines",
                    ChartStyle.ColorAt(1)
                ),
                Traces.Scatter(
                    generations,
                    data.Select(p => p.StdDev),
                    "σ",
                    "lines",
                    ChartStyle.ColorAt(2),
                    dash: "dash",
                    yAxis: "y2"
                ),
            ]
        );
    }
}
