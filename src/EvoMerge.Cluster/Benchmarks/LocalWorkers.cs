using System.Diagnostics;

namespace EvoMerge.Cluster.Benchmarks;

/// <summary>Worker processes on this machine for a benchmark: started, awaited until they report ready, killed at the end.</summary>
internal sealed class LocalWorkers : IDisposable
{
    readonly List<Process> _processes = [];

    /// <summary>Starts one process per start info; its standard output and error are captured.</summary>
    public LocalWorkers(IEnumerable<ProcessStartInfo> starts)
    {
        try
        {
            foreach (var start in starts)
            {
                start.RedirectStandardOutput = true;
                start.RedirectStandardError = true;
                start.UseShellExecute = false;
                _processes.Add(Process.Start(start)!);
            }
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Waits until every worker has printed its "ready" line (see <see cref="WorkerHost"/>).</summary>
    public void WaitReady(TimeSpan timeout)
    {
        foreach (var worker in _processes)
            WaitReady(worker, timeout);
    }

    static void WaitReady(Process worker, TimeSpan timeout)
    {
        var ready = Task.Run(() =>
        {
            while (worker.StandardOutput.ReadLine() is { } line)
                if (line.Contains("ready"))
                    return true;
            return false;
        });
        if (!ready.Wait(timeout) || !ready.Result)
        {
            if (!worker.HasExited)
                worker.Kill(entireProcessTree: true);
            throw new ClusterException(
                $"a worker did not start within {timeout.TotalSeconds:F0} s: {worker.StandardError.ReadToEnd().Split('\n')[0]}"
            );
        }
        // Keep draining its output so it never blocks on a full pipe.
        _ = Task.Run(() => worker.StandardOutput.ReadToEnd());
        _ = Task.Run(() => worker.StandardError.ReadToEnd());
    }

    /// <summary>Kills every worker (and its children) and waits for it to exit.</summary>
    public void Dispose()
    {
        foreach (var worker in _processes)
        {
            try
            {
                if (!worker.HasExited)
                    worker.Kill(entireProcessTree: true);
                worker.WaitForExit(10_000);
            }
            catch (InvalidOperationException) { }
            worker.Dispose();
        }
        _processes.Clear();
    }
}
