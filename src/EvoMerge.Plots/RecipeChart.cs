using System.Text.Json.Nodes;

namespace EvoMerge.Plots;

/// <summary>Weights (top) and densities (bottom) of a recipe as bars grouped by layer group, one colour per source.</summary>
public static class RecipeChart
{
    /// <summary>Builds the two-row bar chart; groups keep their first-seen order.</summary>
    public static PlotlyFigure Bars(IEnumerable<RecipeWeight> cells, string title = "Merge recipe")
    {
        var data = ChartStyle.RequireAny(cells, nameof(cells));
        var sources = data.Select(c => c.Source).Distinct().ToArray();
        IEnumerable<JsonObject> Row(Func<RecipeWeight, double> value, int row) =>
            sources.Select(
                (source, s) =>
                {
                    var mine = data.Where(c => c.Source == source).ToArray();
                    var suffix = row == 1 ? "" : row.ToString();
                    return Traces.Bar(
                        mine.Select(c => c.Group),
                        mine.Select(value),
                        source,
                        ChartStyle.ColorAt(s),
                        showLegend: row == 1,
                        "x" + suffix,
                        "y" + suffix
                    );
                }
            );
        var layout = Traces.Layout(
            title,
            ("xaxis", Traces.Axis(null)),
            ("yaxis", Traces.Axis("weight")),
            ("xaxis2", Traces.Axis(null)),
            ("yaxis2", Traces.Axis("density")),
            (
                "grid",
                new JsonObject
                {
                    ["rows"] = 2,
                    ["columns"] = 1,
                    ["roworder"] = "top to bottom",
                    ["pattern"] = "independent",
                }
            )
        );
        return Traces.Figure(layout, Row(c => c.Weight, 1).Concat(Row(c => c.Density, 2)));
    }
}
