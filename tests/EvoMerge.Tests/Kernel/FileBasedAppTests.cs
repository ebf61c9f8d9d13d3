using System.Diagnostics;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Kernel;

/// <summary>
/// A user's own program, as .NET 10 file-based app: <c>dotnet run app.cs</c> with
/// <c>#:project</c> pointing at the library, outside this repository. TorchSharp must load there
/// with no environment variable and without copying libtorch into a cpu/ folder.
/// </summary>
[Collection(KernelCollection.Name)]
public class FileBasedAppTests
{
    [Fact]
    public async Task Dotnet_run_app_cs_creates_a_tensor_and_loads_the_zoo()
    {
        using var folder = new TempFolder();
        var project = Path.Combine(Fixtures.RepoRoot, "src", "EvoMerge", "EvoMerge.csproj");
        var zoo = Path.Combine(Fixtures.RepoRoot, "data", "zoo", "ja");
        var app = folder.Write(
            "app.cs",
            $$"""
            #:project {{project}}
            using EvoMerge.Models;
            using EvoMerge.Runtime;
            using TorchSharp;

            TorchRuntime.Initialize();
            var sum = torch.arange(5).sum().item<long>();
            using var model = CausalLanguageModel.FromPretrained(@"{{zoo}}", torch.CPU);
            Console.WriteLine($"sum={sum} layers={model.Config.NumHiddenLayers}");
            Console.WriteLine($"base={AppContext.BaseDirectory}");
            """
        );
        var start = new ProcessStartInfo("dotnet", ["run", app])
        {
            WorkingDirectory = folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment.Remove("LIBTORCHSHARP");
        using var run = Process.Start(start)!;
        var stdout = run.StandardOutput.ReadToEndAsync();
        var stderr = run.StandardError.ReadToEndAsync();
        try
        {
            await run.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(8));
        }
        finally
        {
            if (!run.HasExited)
                run.Kill(entireProcessTree: true);
        }

        var text = await stdout;
        Assert.True(run.ExitCode == 0, text + await stderr);
        Assert.Contains("sum=10 layers=6", text);
        var baseDir = text.Split('\n')
            .Single(l => l.StartsWith("base=", StringComparison.Ordinal))["base=".Length..]
            .Trim();
        Assert.False(
            Directory.Exists(Path.Combine(baseDir, "cpu")),
            $"libtorch was copied into {baseDir}cpu"
        );
    }
}
