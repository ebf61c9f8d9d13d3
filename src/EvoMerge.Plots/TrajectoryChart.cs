namespace EvoMerge.Plots;

/// <summary>Parameter trajectories of a PS genome: one named line per gene over generations.</summary>
public static class TrajectoryChart
{
    /// <summary>Builds the chart; throws when a gene's length differs from the generations'.</summary>
    public static PlotlyFigure Create(
        ParameterTrajectories trajectories,
        string title = "Genome parameters per generation"
    )
    {
        var genes = ChartStyle.RequireAny(trajectories.Genes, nameof(trajectories));
        var lines = genes
            .Select(
                (gene, i) =>
                {
                    if (gene.Values.Count != trajectories.Generations.Count)
                        throw new ArgumentException(
                            $"Gene '{gene.Name}' has {gene.Values.Count} values for {trajectories.Generations.Count} generations.",
                            nameof(trajectories)
                        );
                    return Traces.Scatter(
                        trajectories.Generations,
                        gene.Values,
                        gene.Name,
                        "lines",
                        ChartStyle.ColorAt(i)
                    );
                }
            )
            .ToArray();
        return Traces.Figure(
            Traces.Layout(
                title,
                ("xaxis", Traces.Axis("generation")),
                ("yaxis", Traces.Axis("value"))
            ),
            lines
        );
    }
}
