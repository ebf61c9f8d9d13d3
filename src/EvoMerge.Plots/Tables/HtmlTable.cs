using System.Collections;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using EvoMerge.Common;

namespace EvoMerge.Plots;

/// <summary>
/// Sequences of rows (records, anonymous objects, tuples) as tables: one column per property, one
/// row per item; a single record or anonymous object is a one-row table. The notebook kernel's own formatter shows them as index/value trees; _setup.csx
/// registers these as its formatters for sequences. Anything that is not a sequence of such rows
/// (strings, numbers, tensors, dictionaries) is declined, so the kernel's default applies.
/// </summary>
public static class HtmlTable
{
    /// <summary>At most this many rows are written; a last line says how many were left out.</summary>
    public const int MaxRows = 200;

    /// <summary>
    /// The notebook formatter for any object: a table for rows (see <see cref="TryWrite"/>), else
    /// <paramref name="plainText"/>'s text in a <c>pre</c> block. The kernel does not fall back to its
    /// own formatter when a registered one declines, so this one never declines.
    /// </summary>
    public static void Write(object? value, TextWriter writer, Func<object?, string> plainText)
    {
        if (TryWrite(value, writer))
            return;
        writer.Write("<div class=\"dni-plaintext\"><pre>");
        writer.Write(WebUtility.HtmlEncode(plainText(value)));
        writer.Write("</pre></div>");
    }

    /// <summary>Writes <paramref name="value"/> as an HTML table when it is a sequence of rows or one row.</summary>
    /// <returns>False (nothing written) when it is not.</returns>
    public static bool TryWrite(object? value, TextWriter writer)
    {
        if (Tabulate(value) is not { } table)
            return false;
        writer.Write("<table><thead><tr>");
        foreach (var column in table.Columns)
            writer.Write($"<th>{WebUtility.HtmlEncode(column.Name)}</th>");
        writer.Write("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            writer.Write("<tr>");
            foreach (var cell in row)
                writer.Write($"<td>{WebUtility.HtmlEncode(cell)}</td>");
            writer.Write("</tr>");
        }
        writer.Write("</tbody></table>");
        if (table.More > 0)
            writer.Write($"<p>… {table.More} more rows</p>");
        return true;
    }

    sealed record Column(string Name, Func<object, object?> Read);

    sealed record Table(ValueArray<Column> Columns, ValueArray<ValueArray<string>> Rows, int More);

    static Table? Tabulate(object? value)
    {
        if (value is null or string or IDictionary)
            return null;
        // A sequence of rows, or one record or anonymous object as a one-row table (the kernel's
        // tree view shows strings blank).
        var (rowType, items) = value is IEnumerable sequence
            ? (ElementType(value.GetType()), sequence)
            : (value.GetType(), new[] { value });
        if (rowType is null || !IsRowType(rowType))
            return null;
        var columns = ColumnsOf(rowType);
        if (columns.Length == 0)
            return null;
        var rows = new List<ValueArray<string>>();
        var more = 0;
        foreach (var item in items)
        {
            if (rows.Count == MaxRows)
                more++;
            else
                rows.Add(
                    columns.Select(c => item is null ? "" : Cell(c.Read(item))).ToValueArray()
                );
        }
        return new Table(columns, rows.ToValueArray(), more);
    }

    static Type? ElementType(Type type) =>
        type.IsArray
            ? type.GetElementType()
            : type.GetInterfaces()
                .Append(type)
                .FirstOrDefault(i =>
                    i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)
                )
                ?.GetGenericArguments()[0];

    // Rows are records, anonymous types and tuples: types that are their data.
    static bool IsRowType(Type type) =>
        IsValueTuple(type)
        || type.IsDefined(typeof(CompilerGeneratedAttribute), false) // anonymous types
        || type.GetMethod("<Clone>$") is not null // record classes
        || (
            type.IsValueType
            && !type.IsPrimitive
            && !type.IsEnum
            && type.GetMethod("PrintMembers", BindingFlags.NonPublic | BindingFlags.Instance)
                is not null
        ); // record structs

    static bool IsValueTuple(Type type) =>
        type.IsValueType
        && type.IsGenericType
        && type.FullName?.StartsWith("System.ValueTuple`", StringComparison.Ordinal) == true;

    static Column[] ColumnsOf(Type type)
    {
        if (IsValueTuple(type))
            return type.GetFields(BindingFlags.Public | BindingFlags.Instance)
                .Select(f => new Column(f.Name, f.GetValue))
                .ToArray();
        return type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0 && p.Name != "EqualityContract")
            .Select(p => new Column(p.Name, p.GetValue))
            .ToArray();
    }

    static string Cell(object? value) =>
        value switch
        {
            null => "",
            double d => d.ToString("0.####", CultureInfo.InvariantCulture),
            float f => f.ToString("0.####", CultureInfo.InvariantCulture),
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            string s => s,
            IEnumerable e => "[" + string.Join(", ", e.Cast<object?>().Select(Cell)) + "]",
            _ => value.ToString() ?? "",
        };
}
