using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace EvoMerge.Plots;

/// <summary>Parameter trajectories of a PS genome: one named line per gene over generations.</summary>
public static class TrajectoryChart
{
    /// <summary>Builds the chart; throws when a gene's length differs from the generations'.</summary>
    public static GenericChart Create(
        ParameterTrajectories trajectories,
        string title = "Genome parameters per generation"
    )
    {
        var genes = ChartStyle.RequireAny(trajectories.Genes, nameof(trajectories));
        var lines = genes.Select(
            (gene, i) =>
            {
                if (gene.Values.Count != trajectories.Generations.Count)
                    throw new ArgumentException(
                        $"Gene '{gene.Name}' has {gene.Values.Count} values for {trajectories.Generations.Count} generations.",
                        nameof(trajectories)
                    );
                return Chart.Line<int, double, string>(
                    trajectories.Generations,
                    gene.Values,
                    Name: gene.Name,
                    LineColor: ChartStyle.ColorAt(i)
                );
            }
        );
        return Chart
            .Combine(lines.ToArray())
            .WithXAxisStyle<int, int, string>(TitleText: "generation")
            .WithYAxisStyle<double, double, string>(TitleText: "value")
            .Titled(title);
    }
}
