using Plotly.NET;
using Plotly.NET.CSharp;
using Chart = Plotly.NET.CSharp.Chart;

namespace EvoMerge.Plots;

/// <summary>Weights (top) and densities (bottom) of a recipe as bars grouped by layer group, one colour per source.</summary>
public static class RecipeChart
{
    /// <summary>Builds the two-row bar chart; groups keep their first-seen order.</summary>
    public static GenericChart Bars(IEnumerable<RecipeWeight> cells, string title = "Merge recipe")
    {
        var data = ChartStyle.RequireAny(cells, nameof(cells));
        var sources = data.Select(c => c.Source).Distinct().ToArray();
        GenericChart Row(Func<RecipeWeight, double> value, string axis, bool legend) =>
            Chart
                .Combine(
                    sources.Select(
                        (source, s) =>
                        {
                            var mine = data.Where(c => c.Source == source).ToArray();
                            return Chart.Column<double, string, string>(
                                mine.Select(value),
                                Keys: mine.Select(c => c.Group).ToArray(),
                                Name: source,
                                ShowLegend: legend,
                                MarkerColor: ChartStyle.ColorAt(s)
                            );
                        }
                    )
                )
                .WithYAxisStyle<double, double, string>(TitleText: axis);
        return Chart
            .Grid([Row(c => c.Weight, "weight", true), Row(c => c.Density, "density", false)], 2, 1)
            .Titled(title);
    }
}
