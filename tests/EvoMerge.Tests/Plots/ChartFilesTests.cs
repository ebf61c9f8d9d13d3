using EvoMerge.Plots;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Plots;

public class ChartFilesTests
{
    [Fact]
    public void Saved_html_is_offline_with_one_shared_plotly_js_and_charset_first()
    {
        using var folder = new TempFolder();
        var first = ChartFiles.SaveHtml(
            SampleCharts.Fitness(),
            Path.Combine(folder.Path, "charts", "fitness.html")
        );
        ChartFiles.SaveHtml(
            SampleCharts.Pareto(),
            Path.Combine(folder.Path, "charts", "pareto.html")
        );

        var html = File.ReadAllText(first);
        var head = html[(html.IndexOf("<head>", StringComparison.Ordinal) + "<head>".Length)..]
            .TrimStart();
        Assert.StartsWith("<meta charset=\"utf-8\">", head);
        Assert.Contains("<script src=\"plotly.min.js\"></script>", html);
        Assert.DoesNotContain("http", html); // no CDN, nothing fetched
        Assert.Contains("\"σ\"", html); // the σ trace name, as UTF-8 text
        Assert.Equal(
            new[] { "fitness.html", "pareto.html", "plotly.min.js" },
            Directory.GetFiles(Path.Combine(folder.Path, "charts")).Select(Path.GetFileName).Order()
        );
        Assert.Equal(
            ChartFiles.PlotlyJs,
            File.ReadAllText(Path.Combine(folder.Path, "charts", "plotly.min.js"))
        );
        Assert.True(ChartFiles.PlotlyJs.Length > 1_000_000);
    }

    [Fact]
    public void Inline_html_includes_the_library_only_when_asked()
    {
        var chart = SampleCharts.BestPath();
        var with = ChartFiles.ToInlineHtml(chart, "c1", includeLibrary: true);
        var without = ChartFiles.ToInlineHtml(chart, "c2", includeLibrary: false);
        Assert.Contains(ChartFiles.PlotlyJs, with);
        Assert.DoesNotContain("plotly.js v", without);
        Assert.Contains("<div id=\"c2\"></div>", without);
        Assert.Contains("(function(){var define=undefined", with); // UMD bundle must set window.Plotly
    }
}
