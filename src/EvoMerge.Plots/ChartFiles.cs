using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace EvoMerge.Plots;

/// <summary>
/// Turns figures into files and strings that work offline: every saved chart references one
/// <c>plotly.min.js</c> written beside it (the copy this assembly embeds, see Library/README.md),
/// and a notebook inlines it once (see <see cref="NotebookCharts"/>). Nothing is fetched from a CDN.
/// </summary>
public static class ChartFiles
{
    /// <summary>File name of the plotly.js library written beside saved charts.</summary>
    public const string PlotlyJsFileName = "plotly.min.js";

    static readonly Lazy<string> Library = new(LoadLibrary);

    /// <summary>The bundled plotly.js library (minified, about 4.6 MB).</summary>
    public static string PlotlyJs => Library.Value;

    /// <summary>
    /// Writes <paramref name="path"/> as a standalone HTML page and, once per folder, plotly.min.js
    /// beside it. Both are written atomically (<see cref="AtomicFile"/>).
    /// </summary>
    /// <returns>The full path of the HTML file.</returns>
    public static string SaveHtml(PlotlyFigure chart, string path, string? title = null)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(folder);
        var library = Path.Combine(folder, PlotlyJsFileName);
        var libraryBytes = Encoding.UTF8.GetBytes(PlotlyJs);
        if (!File.Exists(library) || new FileInfo(library).Length != libraryBytes.Length)
            AtomicFile.WriteAllBytes(library, libraryBytes);
        var page = new StringBuilder()
            // The charset must come first in <head>: a later one leaves "−" and "σ" as mojibake.
            .Append("<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<title>")
            .Append(
                System.Net.WebUtility.HtmlEncode(title ?? Path.GetFileNameWithoutExtension(full))
            )
            .Append("</title>\n")
            .Append("<script src=\"")
            .Append(PlotlyJsFileName)
            .Append("\"></script>\n</head>\n<body>\n")
            .Append(Div("chart"))
            .Append("<script>\nPlotly.newPlot(\"chart\", ")
            .Append(ScriptSafe(chart.ToJson()))
            .Append(");\n</script>\n</body>\n</html>\n");
        AtomicFile.WriteAllBytes(full, Encoding.UTF8.GetBytes(page.ToString()));
        return full;
    }

    /// <summary>
    /// The chart as an HTML fragment for a notebook output: a div and a script that draws into it
    /// once <c>window.Plotly</c> exists. With <paramref name="includeLibrary"/> the fragment first
    /// defines plotly.js inline (a notebook's outputs share one page, so once per notebook is enough).
    /// </summary>
    /// <param name="chart">The chart.</param>
    /// <param name="id">A document-unique, stable element id (keeps re-run diffs small).</param>
    /// <param name="includeLibrary">Inline plotly.js before the chart.</param>
    public static string ToInlineHtml(PlotlyFigure chart, string id, bool includeLibrary)
    {
        var html = new StringBuilder();
        if (includeLibrary)
            html.Append("<script type=\"text/javascript\">\n")
                // Hide AMD/CommonJS loaders (classic Jupyter has RequireJS) so the UMD bundle sets window.Plotly.
                .Append("(function(){var define=undefined,module=undefined,exports=undefined;\n")
                .Append(PlotlyJs)
                .Append("\n}).call(window);\n</script>\n");
        var idJson = JsonSerializer.Serialize(id);
        html.Append(Div(id))
            .Append("<script type=\"text/javascript\">\n(function(){\nvar figure = ")
            .Append(ScriptSafe(chart.ToJson()))
            .Append(";\nfunction draw(){ window.Plotly.newPlot(")
            .Append(idJson)
            .Append(", figure); }\n")
            // The library may arrive in an earlier output that renders later: wait for it (≤ 60 s),
            // then say why the chart is missing instead of leaving a blank space.
            .Append(
                "if (window.Plotly) { draw(); } else { var tries = 0; var timer = setInterval(function(){ if (window.Plotly) { clearInterval(timer); draw(); } else if (++tries > 600) { clearInterval(timer); document.getElementById("
            )
            .Append(idJson)
            .Append(
                ").textContent = 'plotly.js is not loaded: its copy comes with the first chart of a kernel session; restart the kernel and run all cells.'; } }, 100); }\n"
            )
            .Append("})();\n</script>\n");
        return html.ToString();
    }

    /// <summary>
    /// The figure (data, layout, config) as indented JSON, for snapshot tests and tools. With
    /// <paramref name="digits"/> every number is rounded so figures computed on CPU and GPU
    /// snapshot alike.
    /// </summary>
    public static string ToJson(PlotlyFigure chart, int? digits = null)
    {
        JsonNode figure = chart.ToJsonObject();
        var node = digits is { } d ? Round(figure, d) : figure;
        return node!.ToJsonString(
            new JsonSerializerOptions(PlotlyFigure.Compact) { WriteIndented = true }
        );
    }

    static JsonNode? Round(JsonNode? node, int digits) =>
        node switch
        {
            JsonObject o => new JsonObject(
                o.Select(p => KeyValuePair.Create(p.Key, Round(p.Value, digits)))
            ),
            JsonArray a => new JsonArray(a.Select(v => Round(v, digits)).ToArray()),
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => JsonValue.Create(
                Math.Round(v.GetValue<double>(), digits, MidpointRounding.AwayFromZero) + 0.0
            ),
            _ => node?.DeepClone(),
        };

    static string Div(string id) => $"<div id=\"{System.Net.WebUtility.HtmlEncode(id)}\"></div>\n";

    // "</script>" inside a JSON string would end the script element early.
    static string ScriptSafe(string json) => json.Replace("</", "<\\/");

    static string LoadLibrary()
    {
        const string name = "EvoMerge.Plots.plotly.min.js.gz";
        using var stream =
            typeof(ChartFiles).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in EvoMerge.Plots.");
        using var gzip = new GZipStream(stream, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
