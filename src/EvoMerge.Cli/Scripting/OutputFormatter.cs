using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using EvoMerge.Plots;
using Plotly.NET;
using TorchSharp;

namespace EvoMerge.Cli.Scripting;

/// <summary>
/// Turns a displayed value into a notebook output's mime bundle: strings and plain values as
/// <c>text/plain</c>, tensors with their values, sequences of records or tuples as an HTML table
/// (plus a text table), Plotly charts as <c>text/html</c>.
/// </summary>
/// <remarks>
/// Charts must render offline when the notebook is opened later, so plotly.js (3.6 MB) is inlined
/// in the first chart output of a run and later charts wait for <c>window.Plotly</c>: a notebook's
/// outputs share one page in VS Code and Jupyter. A relative <c>plotly.min.js</c> does not work
/// there (outputs are not served from the notebook's folder) and a CDN is not offline.
/// </remarks>
public sealed class OutputFormatter
{
    /// <summary>Rows shown in a table before the rest is summarized.</summary>
    public const int MaxRows = 100;

    bool _libraryWritten;
    int _charts;

    /// <summary>A <c>display_data</c> output for <paramref name="value"/>.</summary>
    public JsonObject DisplayData(object? value, int cell) =>
        new()
        {
            ["data"] = Bundle(value, cell),
            ["metadata"] = new JsonObject(),
            ["output_type"] = "display_data",
        };

    /// <summary>An <c>execute_result</c> output for a cell's trailing expression.</summary>
    public JsonObject ExecuteResult(object? value, int cell, int executionCount) =>
        new()
        {
            ["data"] = Bundle(value, cell),
            ["execution_count"] = executionCount,
            ["metadata"] = new JsonObject(),
            ["output_type"] = "execute_result",
        };

    /// <summary>The mime bundle (mime type → lines) for a value.</summary>
    public JsonObject Bundle(object? value, int cell)
    {
        switch (value)
        {
            case null:
                return Text("<null>");
            case string text:
                return Text(text);
            case GenericChart chart:
                var html = ChartFiles.ToInlineHtml(
                    chart,
                    $"evomerge-cell{cell}-chart{++_charts}",
                    includeLibrary: !_libraryWritten
                );
                _libraryWritten = true;
                return new JsonObject
                {
                    ["text/html"] = NotebookJson.Lines(html),
                    ["text/plain"] = NotebookJson.Lines(
                        "Plotly chart (open the notebook to see it)"
                    ),
                };
            case torch.Tensor tensor:
                return Text(tensor.ToString(TensorStringStyle.Julia, width: 100));
            case IEnumerable sequence:
                return Sequence(sequence);
            default:
                return Text(Cell(value));
        }
    }

    static JsonObject Text(string text) => new() { ["text/plain"] = NotebookJson.Lines(text) };

    static JsonObject Sequence(IEnumerable sequence)
    {
        var items = new List<object?>();
        var more = false;
        foreach (var item in sequence)
        {
            if (items.Count == MaxRows)
            {
                more = true;
                break;
            }
            items.Add(item);
        }
        var suffix = more ? $"(first {MaxRows} rows)" : "";
        var first = items.FirstOrDefault(i => i is not null);
        if (first is null || IsScalar(first.GetType()))
            return Text("[" + string.Join(", ", items.Select(Cell)) + (more ? ", …" : "") + "]");

        var columns = Columns(first);
        var rows = items
            .Select(item => columns.Select(c => Cell(c.Read(item))).ToArray())
            .ToArray();
        return new JsonObject
        {
            ["text/html"] = NotebookJson.Lines(HtmlTable(columns, rows, suffix)),
            ["text/plain"] = NotebookJson.Lines(TextTable(columns, rows, suffix)),
        };
    }

    sealed record Column(string Name, Func<object?, object?> Read);

    static Column[] Columns(object sample)
    {
        if (sample is ITuple tuple)
            return Enumerable
                .Range(0, tuple.Length)
                .Select(i => new Column($"Item{i + 1}", o => ((ITuple?)o)?[i]))
                .ToArray();
        var type = sample.GetType();
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => new Column(p.Name, o => o is null ? null : Member(o, p.Name)));
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.Instance)
            .Select(f => new Column(f.Name, o => o is null ? null : Member(o, f.Name)));
        return properties.Concat(fields).ToArray();
    }

    // By name on the item's own type, so a sequence of mixed record types still fills what it can.
    static object? Member(object item, string name)
    {
        var type = item.GetType();
        if (type.GetProperty(name, BindingFlags.Public | BindingFlags.Instance) is { } p)
            return p.GetValue(item);
        return type.GetField(name, BindingFlags.Public | BindingFlags.Instance)?.GetValue(item);
    }

    static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive
            || type.IsEnum
            || type == typeof(string)
            || type == typeof(decimal)
            || type == typeof(DateTime)
            || type == typeof(DateTimeOffset)
            || type == typeof(TimeSpan)
            || type == typeof(Guid);
    }

    static string Cell(object? value) =>
        value switch
        {
            null => "",
            double d => d.ToString("G6", CultureInfo.InvariantCulture),
            float f => f.ToString("G6", CultureInfo.InvariantCulture),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

    static string HtmlTable(Column[] columns, string[][] rows, string suffix)
    {
        var html = new StringBuilder("<table>\n<thead><tr>");
        foreach (var column in columns)
            html.Append("<th>").Append(WebUtility.HtmlEncode(column.Name)).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            foreach (var cell in row)
                html.Append("<td>").Append(WebUtility.HtmlEncode(cell)).Append("</td>");
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table>");
        if (suffix.Length > 0)
            html.Append("\n<p>").Append(suffix).Append("</p>");
        return html.ToString();
    }

    static string TextTable(Column[] columns, string[][] rows, string suffix)
    {
        var widths = columns
            .Select((c, i) => rows.Select(r => r[i].Length).Append(c.Name.Length).Max())
            .ToArray();
        var text = new StringBuilder();
        void Line(IEnumerable<string> values) =>
            text.Append(string.Join("  ", values.Select((v, i) => v.PadRight(widths[i]))).TrimEnd())
                .Append('\n');
        Line(columns.Select(c => c.Name));
        foreach (var row in rows)
            Line(row);
        if (suffix.Length > 0)
            text.Append(suffix).Append('\n');
        return text.ToString().TrimEnd('\n');
    }
}
