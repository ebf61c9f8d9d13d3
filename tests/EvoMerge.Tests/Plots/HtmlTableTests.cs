using EvoMerge.Common;
using EvoMerge.Plots;
using Xunit;

namespace EvoMerge.Tests.Plots;

public class HtmlTableTests
{
    sealed record Row(string Name, double Score, ValueArray<int> Layers);

    static string Html(object? value)
    {
        var writer = new StringWriter();
        HtmlTable.Write(value, writer, v => $"plain:{v}");
        return writer.ToString();
    }

    [Fact]
    public void Records_become_a_table_with_one_column_per_property()
    {
        var html = Html(
            new[] { new Row("a<b", 0.123456, new[] { 1, 2 }), new Row("c", 2, new int[0]) }
        );

        Assert.Equal(
            "<table><thead><tr><th>Name</th><th>Score</th><th>Layers</th></tr></thead><tbody>"
                + "<tr><td>a&lt;b</td><td>0.1235</td><td>[1, 2]</td></tr>"
                + "<tr><td>c</td><td>2</td><td>[]</td></tr></tbody></table>",
            html
        );
    }

    [Fact]
    public void Anonymous_objects_tuples_and_single_records_are_tables()
    {
        Assert.StartsWith("<table><thead><tr><th>A</th><th>B</th>", Html(new { A = "x", B = 2 }));
        Assert.StartsWith(
            "<table><thead><tr><th>Item1</th><th>Item2</th>",
            Html(new[] { ("x", 1) })
        );
        Assert.Contains("<td>a</td><td>1</td>", Html(new Row("a", 1, new int[0])));
    }

    [Fact]
    public void Everything_else_is_its_plain_text()
    {
        Assert.Equal("<div class=\"dni-plaintext\"><pre>plain:hello</pre></div>", Html("hello"));
        Assert.Equal("<div class=\"dni-plaintext\"><pre>plain:42</pre></div>", Html(42));
        Assert.StartsWith("<div class=\"dni-plaintext\"><pre>plain:", Html(new List<int> { 1 }));
        Assert.StartsWith("<div class=\"dni-plaintext\">", Html(new Dictionary<string, int>()));
    }

    [Fact]
    public void Long_sequences_are_cut_with_a_count()
    {
        var html = Html(
            Enumerable.Range(0, HtmlTable.MaxRows + 5).Select(i => (i, i * 2)).ToArray()
        );

        Assert.Equal(HtmlTable.MaxRows, html.Split("<tr><td>").Length - 1);
        Assert.EndsWith("<p>… 5 more rows</p>", html);
    }
}
