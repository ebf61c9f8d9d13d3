using Microsoft.FSharp.Core;
using Plotly.NET;

namespace EvoMerge.Plots;

/// <summary>Shared styling for the builders: a fixed palette (so a model keeps its colour across charts) and a title helper.</summary>
internal static class ChartStyle
{
    // Plotly's default colorway, fixed here so one source model gets the same colour in every chart.
    static readonly string[] Palette =
    [
        "#636efa",
        "#EF553B",
        "#00cc96",
        "#ab63fa",
        "#FFA15A",
        "#19d3f3",
        "#FF6692",
        "#B6E880",
        "#FF97FF",
        "#FECB52",
    ];

    public static Color ColorAt(int index) => Color.fromHex(Palette[index % Palette.Length]);

    public static GenericChart Titled(this GenericChart chart, string title) =>
        Plotly.NET.Chart.withTitle(title, FSharpOption<Font>.None).Invoke(chart);

    /// <summary>Moves every trace of <paramref name="chart"/> onto the y axis with the given id.</summary>
    public static GenericChart OnYAxis(this GenericChart chart, int yAxis) =>
        Plotly
            .NET.Chart.withAxisAnchor(FSharpOption<int>.None, FSharpOption<int>.Some(yAxis))
            .Invoke(chart);

    public static T[] RequireAny<T>(IEnumerable<T> items, string argument)
    {
        var array = items.ToArray();
        if (array.Length == 0)
            throw new ArgumentException("Nothing to plot: the input is empty.", argument);
        return array;
    }
}
