using EvoMerge.Common;
using EvoMerge.Plots;
using Xunit;

namespace EvoMerge.Tests.Plots;

public class ChartInputTests
{
    [Fact]
    public void Records_compare_by_value()
    {
        Assert.Equal(
            new GeneTrajectory("w", new[] { 1.0, 2.0 }),
            new GeneTrajectory("w", new[] { 1.0, 2.0 })
        );
        Assert.NotEqual(
            new ParetoPoint(new[] { 1.0, 2.0 }, true),
            new ParetoPoint(new[] { 1.0, 2.5 }, true)
        );
    }

    [Fact]
    public void Empty_input_is_rejected() =>
        Assert.Throws<ArgumentException>(() => FitnessChart.Create([]));

    [Fact]
    public void Trajectory_length_must_match_generations()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            TrajectoryChart.Create(
                new ParameterTrajectories(
                    new[] { 0, 1, 2 },
                    new GeneTrajectory[] { new("w", new[] { 1.0 }) }
                )
            )
        );
        Assert.Contains("'w' has 1 values for 3 generations", error.Message);
    }

    [Fact]
    public void Heatmap_rows_must_match_layers()
    {
        var usage = new LayerUsage(
            "A",
            2,
            "B",
            2,
            new[] { "g0" },
            new ValueArray<double>[] { new[] { 1.0 } }
        );
        var error = Assert.Throws<ArgumentException>(() => LayerUsageChart.Heatmap(usage));
        Assert.Contains("1 rows for 2 + 2 layers", error.Message);
    }

    [Fact]
    public void Pareto_needs_the_requested_objectives()
    {
        var set = new ParetoSet(
            new[] { "only one" },
            new ParetoPoint[] { new(new[] { 1.0 }, true) }
        );
        Assert.Throws<ArgumentException>(() => ParetoChart.Create(set));
    }
}
