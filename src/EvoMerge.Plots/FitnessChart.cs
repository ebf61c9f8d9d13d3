using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace EvoMerge.Plots;

/// <summary>Fitness per generation: best and mean on the left axis, population σ on a right axis.</summary>
public static class FitnessChart
{
    /// <summary>Builds the chart; σ gets its own axis because it is often an order of magnitude smaller.</summary>
    public static GenericChart Create(
        IEnumerable<FitnessPoint> points,
        string title = "Fitness per generation"
    )
    {
        var data = ChartStyle.RequireAny(points, nameof(points));
        var generations = data.Select(p => p.Generation).ToArray();
        var best = Chart.Line<int, double, string>(
            generations,
            data.Select(p => p.Best),
            Name: "best",
            ShowMarkers: true,
            LineColor: ChartStyle.ColorAt(0),
            MarkerColor: ChartStyle.ColorAt(0)
        );
        var mean = Chart.Line<int, double, string>(
            generations,
            data.Select(p => p.Mean),
            Name: "mean",
            LineColor: ChartStyle.ColorAt(1)
        );
        var sigma = Chart
            .Line<int, double, string>(
                generations,
                data.Select(p => p.StdDev),
                Name: "σ",
                LineColor: ChartStyle.ColorAt(2),
                LineDash: StyleParam.DrawingStyle.Dash
            )
            .OnYAxis(2);
        return Chart
            .Combine([best, mean, sigma])
            .WithXAxisStyle<int, int, string>(TitleText: "generation")
            .WithYAxisStyle<double, double, string>(TitleText: "fitness")
            .WithYAxisStyle<double, double, string>(
                TitleText: "σ (population)",
                Side: StyleParam.Side.Right,
                Overlaying: StyleParam.LinearAxisId.NewY(1),
                Id: StyleParam.SubPlotId.NewYAxis(2)
            )
            // Above the plot: on the right the legend would cover the σ axis.
            .WithLegendStyle(
                Orientation: StyleParam.Orientation.Horizontal,
                X: 0,
                Y: 1.02,
                YAnchor: StyleParam.YAnchorPosition.Bottom
            )
            .Titled(title);
    }
}
