using System.Collections.Concurrent;
using System.Diagnostics;

namespace EvoMerge.Tests.Cluster;

/// <summary>A real process (redis-server, `dotnet EvoMerge.Cli.dll worker`) whose output is kept; killed on Dispose.</summary>
sealed class ChildProcess : IDisposable
{
    readonly Process _process;
    readonly ConcurrentQueue<string> _out = new();
    readonly ConcurrentQueue<string> _err = new();

    public ChildProcess(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        // Spectre's progress bar stays plain text when the output is redirected.
        start.Environment["NO_COLOR"] = "1";
        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                _out.Enqueue(e.Data);
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
                _err.Enqueue(e.Data);
        };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>`dotnet EvoMerge.Cli.dll args` (the CLI built next to the tests).</summary>
    public static ChildProcess Cli(params string[] args) =>
        new("dotnet", [Path.Combine(AppContext.BaseDirectory, "EvoMerge.Cli.dll"), .. args]);

    public string Output => string.Join("\n", _out);

    public string Error => string.Join("\n", _err);

    public bool HasExited => _process.HasExited;

    /// <summary>Waits for <paramref name="line"/> in stdout (bounded).</summary>
    public void WaitFor(string text, TimeSpan timeout, int count = 1)
    {
        var clock = Stopwatch.StartNew();
        while (_out.Count(l => l.Contains(text)) < count)
        {
            if (_process.HasExited || clock.Elapsed > timeout)
                throw new TimeoutException(
                    $"'{text}' (x{count}) not seen in {timeout.TotalSeconds:F0} s; exited: {_process.HasExited}\nstdout:\n{Output}\nstderr:\n{Error}"
                );
            Thread.Sleep(20);
        }
    }

    /// <summary>Waits for the exit (bounded; killed past it) and returns the exit code.</summary>
    public int Exit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException(
                $"still running after {timeout.TotalSeconds:F0} s\nstdout:\n{Output}\nstderr:\n{Error}"
            );
        }
        _process.WaitForExit(); // drains the output
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no chance to leave the cluster cleanly.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException) { }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
