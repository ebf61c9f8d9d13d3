using EvoMerge.Routing;

namespace EvoMerge.Plots;

/// <summary>DFS charts: how often each layer of A and B is on the path, and one path as a sequence.</summary>
public static class LayerUsageChart
{
    /// <summary>Heatmap with one row per layer (A's then B's) and one column per generation or member.</summary>
    public static PlotlyFigure Heatmap(
        LayerUsage usage,
        string title = "Layer usage on the DFS path"
    )
    {
        var rows = usage.LayersA + usage.LayersB;
        if (rows == 0 || usage.Columns.Count == 0)
            throw new ArgumentException("Nothing to plot: no layers or no columns.", nameof(usage));
        if (usage.Frequency.Count != rows)
            throw new ArgumentException(
                $"Frequency has {usage.Frequency.Count} rows for {usage.LayersA} + {usage.LayersB} layers.",
                nameof(usage)
            );
        var bad = usage
            .Frequency.Select((row, i) => (row, i))
            .FirstOrDefault(r => r.row.Count != usage.Columns.Count);
        if (bad.row is not null)
            throw new ArgumentException(
                $"Frequency row {bad.i} has {bad.row.Count} values for {usage.Columns.Count} columns.",
                nameof(usage)
            );
        var labels = Enumerable
            .Range(0, usage.LayersA)
            .Select(i => $"{usage.ModelA} L{i}")
            .Concat(Enumerable.Range(0, usage.LayersB).Select(i => $"{usage.ModelB} L{i}"));
        return Traces.Figure(
            Traces.Layout(title, ("xaxis", Traces.Axis("")), ("yaxis", Traces.Axis("layer"))),
            [Traces.Heatmap(usage.Frequency, usage.Columns, labels, "Viridis")]
        );
    }

    /// <summary>
    /// One path drawn as a sequence: step index → layer index, a marker per step coloured by its
    /// model and sized by its scale, joined by a grey line in execution order; hover shows the input scale.
    /// </summary>
    public static PlotlyFigure Path(IEnumerable<PathStep> path, string title = "DFS path")
    {
        var steps = ChartStyle.RequireAny(path, nameof(path));
        var order = Traces.Scatter(
            Enumerable.Range(0, steps.Length),
            steps.Select(s => s.Layer),
            "order",
            "lines",
            ChartStyle.LightGrey,
            showLegend: false
        );
        var markers = steps
            .Select(s => s.Model)
            .Distinct()
            .Select(
                (model, m) =>
                {
                    var at = Enumerable
                        .Range(0, steps.Length)
                        .Where(i => steps[i].Model == model)
                        .ToArray();
                    // Marker diameter grows with the layer's input scale (8 px + 6 px per unit).
                    return Traces.Scatter(
                        at,
                        at.Select(i => steps[i].Layer),
                        model,
                        "markers",
                        ChartStyle.ColorAt(m),
                        text: at.Select(i => $"scale {steps[i].Scale:0.###}"),
                        markerSizes: at.Select(i =>
                            (int)Math.Round(Math.Max(4, 8 + 6 * steps[i].Scale))
                        )
                    );
                }
            );
        return Traces.Figure(
            Traces.Layout(title, ("xaxis", Traces.Axis("step")), ("yaxis", Traces.Axis("layer"))),
            new[] { order }.Concat(markers)
        );
    }
}
