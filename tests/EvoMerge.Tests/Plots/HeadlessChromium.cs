using System.Diagnostics;

namespace EvoMerge.Tests.Plots;

/// <summary>Screenshots a local HTML file with Debian's headless Chromium (installed by .ci/run).</summary>
internal static class HeadlessChromium
{
    static readonly string[] Candidates =
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ];

    /// <summary>The browser's path; fails (never skips, so a CI without it cannot pass silently) when there is none.</summary>
    public static string Executable =>
        Candidates.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException(
            "Chromium is needed for the chart render checks and was not found: "
                + "apt-get update && apt-get install -y chromium (.ci/run does this)."
        );

    /// <summary>Renders <paramref name="htmlPath"/> at 900×600 into <paramref name="pngPath"/>.</summary>
    public static void Screenshot(string htmlPath, string pngPath)
    {
        var profile = Path.Combine(
            Path.GetTempPath(),
            "evomerge-chromium-" + Guid.NewGuid().ToString("N")[..12]
        );
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        foreach (
            var argument in new[]
            {
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + profile,
                "--virtual-time-budget=5000", // lets plotly.js run before the shot
                "--window-size=900,600",
                "--screenshot=" + pngPath,
                new Uri(htmlPath).AbsoluteUri,
            }
        )
            start.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            if (!process.WaitForExit(TimeSpan.FromSeconds(90)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"Chromium did not finish rendering {htmlPath} in 90 s");
            }
            if (!File.Exists(pngPath))
                throw new InvalidOperationException(
                    $"Chromium exited {process.ExitCode} without a screenshot of {htmlPath}:\n{stderr.Result}"
                );
        }
        finally
        {
            try
            {
                Directory.Delete(profile, recursive: true);
            }
            catch (IOException) { }
        }
    }
}
