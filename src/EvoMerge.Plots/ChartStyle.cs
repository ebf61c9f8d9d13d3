namespace EvoMerge.Plots;

/// <summary>Shared styling for the builders: a fixed palette (so a model keeps its colour across charts).</summary>
internal static class ChartStyle
{
    // Plotly's default colorway, fixed here so one source model gets the same colour in every chart.
    static readonly string[] Palette =
    [
        "#636efa",
        "#ef553b",
        "#00cc96",
        "#ab63fa",
        "#ffa15a",
        "#19d3f3",
        "#ff6692",
        "#b6e880",
        "#ff97ff",
        "#fecb52",
    ];

    public const string Grey = "#9a9a9a";

    public const string LightGrey = "#bbbbbb";

    public static string ColorAt(int index) => Palette[index % Palette.Length];

    public static T[] RequireAny<T>(IEnumerable<T> items, string argument)
    {
        var array = items.ToArray();
        if (array.Length == 0)
            throw new ArgumentException("Nothing to plot: the input is empty.", argument);
        return array;
    }
}
