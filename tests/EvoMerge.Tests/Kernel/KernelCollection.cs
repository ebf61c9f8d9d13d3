using System.Diagnostics;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Kernel;

/// <summary>
/// Tests that start real child processes: <c>dotnet-interactive stdio</c> kernels, and the
/// cluster's workers. They run one at a time (each process takes a core while it starts) and share
/// <see cref="KernelPrerequisites"/>.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class KernelCollection : ICollectionFixture<KernelPrerequisites>
{
    public const string Name = "Real child processes (kernels, cluster workers)";
}

/// <summary>
/// What a new user does once before opening a notebook: restore the pinned kernel tool and build
/// Release (the notebooks' <c>#r</c> lines point into <c>src/EvoMerge.Cli/bin/Release</c>). Both
/// are no-ops when already done.
/// </summary>
public sealed class KernelPrerequisites
{
    public KernelPrerequisites()
    {
        Run("dotnet", "tool restore");
        Run("dotnet", "build src/EvoMerge.Cli -c Release --nologo -v q");
    }

    /// <summary>The Release CLI the notebooks' #r lines use.</summary>
    public static string ReleaseCli =>
        Path.Combine(Fixtures.RepoRoot, "src/EvoMerge.Cli/bin/Release/net10.0/EvoMerge.Cli.dll");

    static void Run(string file, string arguments)
    {
        using var process = Process.Start(
            new ProcessStartInfo(file, arguments)
            {
                WorkingDirectory = Fixtures.RepoRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }
        )!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(15)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {arguments}: still running after 15 min");
        }
        if (process.ExitCode != 0)
            throw new InvalidOperationException(
                $"{file} {arguments} exited {process.ExitCode}:\n{output.Result}\n{error.Result}"
            );
    }
}
