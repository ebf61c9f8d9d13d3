namespace EvoMerge.Plots;

/// <summary>
/// How a <see cref="PlotlyFigure"/> shows in a notebook: an HTML fragment that draws the chart with
/// plotly.js. The first chart of a kernel session carries plotly.js inline (a notebook's outputs
/// share one page in VS Code and Jupyter, so once is enough and the notebook stays offline);
/// later ones wait for it. <c>scripts/_setup.csx</c> registers <see cref="Html"/> as the kernel's
/// text/html formatter for figures.
/// </summary>
public static class NotebookCharts
{
    static readonly object Gate = new();
    static int _charts;

    /// <summary>The fragment for one displayed chart; element ids count up per session (stable re-runs).</summary>
    public static string Html(PlotlyFigure figure)
    {
        int number;
        lock (Gate)
            number = ++_charts;
        return ChartFiles.ToInlineHtml(
            figure,
            $"evomerge-chart-{number}",
            includeLibrary: number == 1
        );
    }
}
