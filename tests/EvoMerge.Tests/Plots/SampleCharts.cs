using EvoMerge.Common;
using EvoMerge.Plots;
using EvoMerge.Routing;

namespace EvoMerge.Tests.Plots;

/// <summary>Each chart type built from fixed small data, shared by snapshot and render tests.</summary>
internal static class SampleCharts
{
    public static PlotlyFigure Fitness() =>
        FitnessChart.Create(
            Enumerable
                .Range(0, 6)
                .Select(g => new FitnessPoint(g, 0.2 + 0.1 * g, 0.1 + 0.08 * g, 0.05 - 0.005 * g))
        );

    public static PlotlyFigure Trajectories() =>
        TrajectoryChart.Create(
            new ParameterTrajectories(
                new[] { 0, 1, 2, 3 },
                new GeneTrajectory[]
                {
                    new("model_b.weight", new[] { 0.5, 0.6, 0.65, 0.7 }),
                    new("model_b.density", new[] { 1.0, 0.8, 0.7, 0.65 }),
                    new("model_c.weight", new[] { 0.5, 0.4, -0.1, -0.2 }),
                }
            )
        );

    public static PlotlyFigure LayerHeatmap() =>
        LayerUsageChart.Heatmap(
            new LayerUsage(
                "A",
                3,
                "B",
                2,
                new[] { "gen 0", "gen 1", "gen 2", "gen 3" },
                new ValueArray<double>[]
                {
                    new[] { 1.0, 0.9, 0.8, 0.75 },
                    new[] { 0.5, 0.4, 0.2, 0.0 },
                    new[] { 1.0, 1.0, 0.95, 1.0 },
                    new[] { 0.0, 0.25, 0.5, 0.75 },
                    new[] { 0.5, 0.6, 0.9, 1.0 },
                }
            )
        );

    public static PlotlyFigure BestPath() =>
        LayerUsageChart.Path(
            new PathStep[]
            {
                new("A", 0, 1.0),
                new("A", 1, 1.0),
                new("B", 1, 0.8),
                new("A", 2, 1.0),
                new("B", 1, 1.2),
                new("B", 2, 1.0),
            }
        );

    public static PlotlyFigure Pareto() =>
        ParetoChart.Create(
            new ParetoSet(
                new[] { "ja accuracy", "math accuracy" },
                new ParetoPoint[]
                {
                    new(new[] { 0.2, 0.7 }, true, "c1"),
                    new(new[] { 0.5, 0.5 }, true, "c2"),
                    new(new[] { 0.7, 0.2 }, true, "c3"),
                    new(new[] { 0.3, 0.4 }, false, "c4"),
                    new(new[] { 0.1, 0.1 }, false, "c5"),
                    new(new[] { 0.45, 0.3 }, false, "c6"),
                }
            )
        );

    public static PlotlyFigure Recipe() =>
        RecipeChart.Bars(
            new RecipeWeight[]
            {
                new("model-a", "layers 0-3", 0.6, 1.0),
                new("model-b", "layers 0-3", 0.4, 0.5),
                new("model-a", "layers 4-7", 0.3, 0.9),
                new("model-b", "layers 4-7", 0.7, 0.35),
            }
        );

    public static PlotlyFigure Lines() =>
        XyChart.Lines(
            new LineSeries[]
            {
                new("measured", new[] { 0.1, 0.5, 0.9 }, new[] { 0.12, 0.48, 0.91 }, Markers: true),
                new("y = x", new[] { 0.1, 0.5, 0.9 }, new[] { 0.1, 0.5, 0.9 }),
            },
            "Lines",
            "x",
            "y"
        );

    public static PlotlyFigure Histograms() =>
        XyChart.Histograms(
            new HistogramSeries[]
            {
                new("narrow", Enumerable.Range(0, 200).Select(i => Math.Sin(i) * 0.5).ToArray()),
                new("wide", Enumerable.Range(0, 200).Select(i => Math.Cos(i * 1.3)).ToArray()),
            },
            "Histograms",
            "value",
            bins: 20
        );

    /// <summary>Every chart type by name.</summary>
    public static IReadOnlyDictionary<string, Func<PlotlyFigure>> All { get; } =
        new Dictionary<string, Func<PlotlyFigure>>
        {
            ["fitness"] = Fitness,
            ["trajectories"] = Trajectories,
            ["layer-heatmap"] = LayerHeatmap,
            ["best-path"] = BestPath,
            ["pareto"] = Pareto,
            ["recipe"] = Recipe,
            ["lines"] = Lines,
            ["histograms"] = Histograms,
        };

    public static IEnumerable<object[]> Names => All.Keys.Select(k => new object[] { k });
}
