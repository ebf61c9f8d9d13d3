namespace EvoMerge.Plots;

/// <summary>One named series of (x, y) points for <see cref="XyChart.Lines"/>.</summary>
/// <param name="Name">Legend entry.</param>
/// <param name="X">x values.</param>
/// <param name="Y">y values, as many as x.</param>
/// <param name="Markers">Draw a marker at each point as well as the line.</param>
public sealed record LineSeries(
    string Name,
    ValueArray<double> X,
    ValueArray<double> Y,
    bool Markers = false
);

/// <summary>One named sample for <see cref="XyChart.Histograms"/>.</summary>
public sealed record HistogramSeries(string Name, ValueArray<double> Values);

/// <summary>General charts for notebooks: lines and overlaid histograms, in the library's palette.</summary>
public static class XyChart
{
    /// <summary>Line chart with one line per series; throws when a series' x and y lengths differ.</summary>
    public static PlotlyFigure Lines(
        IEnumerable<LineSeries> series,
        string title,
        string xTitle,
        string yTitle
    )
    {
        var all = ChartStyle.RequireAny(series, nameof(series));
        var bad = all.FirstOrDefault(s => s.X.Count != s.Y.Count);
        if (bad is not null)
            throw new ArgumentException(
                $"Series '{bad.Name}' has {bad.X.Count} x values and {bad.Y.Count} y values.",
                nameof(series)
            );
        return Traces.Figure(
            Traces.Layout(title, ("xaxis", Traces.Axis(xTitle)), ("yaxis", Traces.Axis(yTitle))),
            all.Select(
                (s, i) =>
                    Traces.Scatter(
                        s.X,
                        s.Y,
                        s.Name,
                        s.Markers ? "lines+markers" : "lines",
                        ChartStyle.ColorAt(i)
                    )
            )
        );
    }

    /// <summary>Overlaid, semi-transparent histograms (one per series) with about <paramref name="bins"/> bins each.</summary>
    public static PlotlyFigure Histograms(
        IEnumerable<HistogramSeries> series,
        string title,
        string xTitle,
        int bins = 80
    )
    {
        var all = ChartStyle.RequireAny(series, nameof(series));
        return Traces.Figure(
            Traces.Layout(title, ("xaxis", Traces.Axis(xTitle)), ("barmode", "overlay")),
            all.Select(
                (s, i) => Traces.Histogram(s.Values, s.Name, ChartStyle.ColorAt(i), 0.6, bins)
            )
        );
    }
}
