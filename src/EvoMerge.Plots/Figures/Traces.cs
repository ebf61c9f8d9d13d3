using System.Text.Json.Nodes;

namespace EvoMerge.Plots;

/// <summary>
/// The few Plotly trace and layout shapes the builders use, written as plotly.js's JSON schema names
/// them (https://plotly.com/javascript/reference/). Only what a builder sets is emitted, so plotly.js
/// defaults apply to the rest.
/// </summary>
internal static class Traces
{
    /// <summary>A scatter trace: mode "lines", "markers" or "lines+markers".</summary>
    public static JsonObject Scatter<TX, TY>(
        IEnumerable<TX> x,
        IEnumerable<TY> y,
        string name,
        string mode,
        string? color = null,
        bool? showLegend = null,
        string? dash = null,
        IEnumerable<string>? text = null,
        IEnumerable<int>? markerSizes = null,
        string? yAxis = null
    )
    {
        var trace = new JsonObject { ["type"] = "scatter", ["name"] = name };
        if (showLegend is { } legend)
            trace["showlegend"] = legend;
        trace["mode"] = mode;
        trace["x"] = Array(x);
        trace["y"] = Array(y);
        if (text is not null)
            trace["text"] = Array(text);
        var marker = new JsonObject();
        if (color is not null && mode.Contains("markers", StringComparison.Ordinal))
            marker["color"] = color;
        if (markerSizes is not null)
            marker["size"] = Array(markerSizes);
        if (marker.Count > 0)
            trace["marker"] = marker;
        var line = new JsonObject();
        if (color is not null && mode.Contains("lines", StringComparison.Ordinal))
            line["color"] = color;
        if (dash is not null)
            line["dash"] = dash;
        if (line.Count > 0)
            trace["line"] = line;
        if (yAxis is not null)
            trace["yaxis"] = yAxis;
        return trace;
    }

    /// <summary>A vertical bar trace on the given axes ("x"/"y", "x2"/"y2", …).</summary>
    public static JsonObject Bar(
        IEnumerable<string> keys,
        IEnumerable<double> values,
        string name,
        string color,
        bool showLegend,
        string xAxis,
        string yAxis
    ) =>
        new()
        {
            ["type"] = "bar",
            ["name"] = name,
            ["showlegend"] = showLegend,
            ["x"] = Array(keys),
            ["y"] = Array(values),
            ["marker"] = new JsonObject { ["color"] = color },
            ["xaxis"] = xAxis,
            ["yaxis"] = yAxis,
        };

    /// <summary>A histogram of <paramref name="values"/> with at most <paramref name="bins"/> bins.</summary>
    public static JsonObject Histogram(
        IEnumerable<double> values,
        string name,
        string color,
        double opacity,
        int bins
    ) =>
        new()
        {
            ["type"] = "histogram",
            ["name"] = name,
            ["x"] = Array(values),
            ["opacity"] = opacity,
            ["nbinsx"] = bins,
            ["marker"] = new JsonObject { ["color"] = color },
        };

    /// <summary>A heatmap: one row of <paramref name="z"/> per y label.</summary>
    public static JsonObject Heatmap(
        IEnumerable<IEnumerable<double>> z,
        IEnumerable<string> x,
        IEnumerable<string> y,
        string colorScale
    ) =>
        new()
        {
            ["type"] = "heatmap",
            ["x"] = Array(x),
            ["y"] = Array(y),
            ["z"] = new JsonArray(z.Select(row => (JsonNode)Array(row)).ToArray()),
            ["colorscale"] = colorScale,
        };

    /// <summary>An axis with a title (and any extra properties).</summary>
    public static JsonObject Axis(string? title, params (string Key, JsonNode Value)[] extra)
    {
        // White grid on the blue-grey plot area: plotly's standard look (its "plotly" template).
        var axis = new JsonObject { ["gridcolor"] = "white", ["zerolinecolor"] = "white" };
        if (title is not null)
            axis["title"] = new JsonObject { ["text"] = title };
        foreach (var (key, value) in extra)
            axis[key] = value;
        return axis;
    }

    /// <summary>A layout of the default size (600 × 600, as the charts have always been) and a title.</summary>
    public static JsonObject Layout(string title, params (string Key, JsonNode Value)[] entries)
    {
        var layout = new JsonObject
        {
            ["width"] = 600,
            ["height"] = 600,
            ["plot_bgcolor"] = "#e5ecf6",
        };
        foreach (var (key, value) in entries)
            layout[key] = value;
        layout["title"] = new JsonObject { ["text"] = title };
        return layout;
    }

    public static PlotlyFigure Figure(JsonObject layout, IEnumerable<JsonObject> traces) =>
        new(new JsonArray(traces.Select(t => (JsonNode)t).ToArray()), layout);

    static JsonArray Array<T>(IEnumerable<T> values) =>
        new(values.Select(v => JsonValue.Create(v) is JsonNode n ? n : null).ToArray());
}
