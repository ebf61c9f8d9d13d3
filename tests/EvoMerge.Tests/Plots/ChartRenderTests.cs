using EvoMerge.Plots;
using EvoMerge.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace EvoMerge.Tests.Plots;

/// <summary>
/// Renders saved charts in headless Chromium, offline, and checks the screenshot is a chart and not
/// a blank page. Chromium is required: these tests fail (not skip) without it, so CI cannot pass
/// without rendering; .ci/run installs it.
/// </summary>
public class ChartRenderTests(ITestOutputHelper output)
{
    // A drawn chart has trace colours over a large area; a page where plotly.js did not run is white.
    const int MinSaturatedPixels = 400;

    [Theory]
    [MemberData(nameof(SampleCharts.Names), MemberType = typeof(SampleCharts))]
    public void Saved_chart_renders_offline(string chart)
    {
        using var folder = new TempFolder();
        var html = ChartFiles.SaveHtml(
            SampleCharts.All[chart](),
            Path.Combine(folder.Path, chart + ".html")
        );

        var image = Render(html, chart);

        Assert.True(image.SaturatedPixels() >= MinSaturatedPixels, $"{chart}: {Describe(image)}");
        Assert.True(image.NonWhiteFraction() > 0.2, $"{chart}: {Describe(image)}");
    }

    [Fact]
    public void Page_without_plotly_js_is_detected_as_blank()
    {
        using var folder = new TempFolder();
        var html = ChartFiles.SaveHtml(
            SampleCharts.Fitness(),
            Path.Combine(folder.Path, "fitness.html")
        );
        File.Delete(Path.Combine(folder.Path, ChartFiles.PlotlyJsFileName));

        var image = Render(html, "no-library");

        Assert.True(image.SaturatedPixels() < MinSaturatedPixels / 10, Describe(image));
    }

    [Fact]
    public void Notebook_inline_form_renders_even_when_the_library_comes_later()
    {
        using var folder = new TempFolder();
        // Output order as a viewer may render it: a chart waiting for plotly.js, then the output that defines it.
        var page =
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>\n"
            + ChartFiles.ToInlineHtml(SampleCharts.Recipe(), "second", includeLibrary: false)
            + ChartFiles.ToInlineHtml(SampleCharts.LayerHeatmap(), "first", includeLibrary: true)
            + "</body></html>";
        var html = Path.Combine(folder.Path, "inline.html");
        File.WriteAllText(html, page);

        var image = Render(html, "inline");

        // The recipe bars (top of the page) must be drawn, so the waiting chart found the library.
        Assert.True(image.SaturatedPixels() >= MinSaturatedPixels, Describe(image));
    }

    PngImage Render(string html, string name)
    {
        var png = Path.ChangeExtension(html, ".png");
        HeadlessChromium.Screenshot(html, png);
        var image = PngImage.Read(png);
        output.WriteLine($"{name}: {Describe(image)}");
        // Keep the last screenshots for a human look: EVOMERGE_KEEP_SCREENSHOTS=<folder>.
        if (Environment.GetEnvironmentVariable("EVOMERGE_KEEP_SCREENSHOTS") is { Length: > 0 } keep)
        {
            Directory.CreateDirectory(keep);
            File.Copy(png, Path.Combine(keep, name + ".png"), overwrite: true);
        }
        return image;
    }

    static string Describe(PngImage image) =>
        $"{image.Width}x{image.Height}, non-white {image.NonWhiteFraction():P1}, saturated pixels {image.SaturatedPixels()}, colours {image.DistinctColours()}";
}
