using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvoMerge.Plots;

/// <summary>
/// A Plotly figure (<c>data</c>, <c>layout</c>, <c>config</c>) exactly as plotly.js reads it. The
/// builders in this library make one from plain data; it is immutable and compares by its JSON.
/// In a notebook it displays as an interactive chart (see <see cref="NotebookCharts"/>); in a
/// script, <see cref="ChartFiles.SaveHtml"/> writes it as an offline page.
/// </summary>
public sealed class PlotlyFigure : IEquatable<PlotlyFigure>
{
    // Non-ASCII stays readable (pages and notebooks are UTF-8); "</" is escaped where HTML needs it.
    internal static readonly JsonSerializerOptions Compact = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    readonly string _json;

    internal PlotlyFigure(JsonArray data, JsonObject layout)
    {
        var figure = new JsonObject
        {
            ["data"] = data,
            ["layout"] = layout,
            ["config"] = new JsonObject { ["responsive"] = true },
        };
        _json = figure.ToJsonString(Compact);
    }

    PlotlyFigure(string json) => _json = json;

    /// <summary>Number of traces (lines, bar series, heatmaps) in the figure.</summary>
    public int TraceCount => ToJsonObject()["data"]!.AsArray().Count;

    /// <summary>The figure title, or null.</summary>
    public string? Title => (string?)ToJsonObject()["layout"]?["title"]?["text"];

    /// <summary>A fresh, mutable copy of the figure JSON (for tools that post-process it).</summary>
    public JsonObject ToJsonObject() => (JsonObject)JsonNode.Parse(_json)!;

    /// <summary>The figure JSON; compact by default.</summary>
    public string ToJson(bool indented = false) =>
        indented
            ? ToJsonObject()
                .ToJsonString(new JsonSerializerOptions(Compact) { WriteIndented = true })
            : _json;

    /// <summary>The same figure with another title.</summary>
    public PlotlyFigure WithTitle(string title) =>
        WithLayout(layout => layout["title"] = new JsonObject { ["text"] = title });

    /// <summary>The same figure at another size in pixels.</summary>
    public PlotlyFigure WithSize(int width, int height) =>
        WithLayout(layout =>
        {
            layout["width"] = width;
            layout["height"] = height;
        });

    PlotlyFigure WithLayout(Action<JsonObject> change)
    {
        var figure = ToJsonObject();
        change(figure["layout"]!.AsObject());
        return new PlotlyFigure(figure.ToJsonString(Compact));
    }

    /// <inheritdoc />
    public bool Equals(PlotlyFigure? other) =>
        other is not null && string.Equals(_json, other._json, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as PlotlyFigure);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(_json);

    /// <inheritdoc />
    public override string ToString() =>
        $"Plotly figure '{Title ?? "(untitled)"}' ({TraceCount} traces)";
}
