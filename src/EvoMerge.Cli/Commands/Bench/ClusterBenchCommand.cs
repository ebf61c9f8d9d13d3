using System.CommandLine;
using System.Diagnostics;
using EvoMerge.Cli.Options;
using EvoMerge.Cluster;
using EvoMerge.Common;
using EvoMerge.Common.Random;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Optimizers;
using EvoMerge.Evolution.Runs;
using EvoMerge.Runtime;
using Spectre.Console;

namespace EvoMerge.Cli.Commands.Bench;

/// <summary>
/// `evomerge bench cluster`: candidates per second in this process and with 1, 2, 4, … worker
/// processes (started here, on this machine, stopped at the end), and the per-candidate overhead
/// of the cluster path (Orleans calls, JSON, scheduling) against in-process evaluation.
/// </summary>
internal static class ClusterBenchCommand
{
    public static Command Create()
    {
        var config = new Option<string>("--config")
        {
            Description = "Experiment YAML (its models and fitness tasks)",
            DefaultValueFactory = _ => RepoPaths.Find(EvolveCommand.DefaultConfig),
        };
        var workers = new Option<string>("--workers")
        {
            Description = "Worker counts, comma-separated",
            DefaultValueFactory = _ => "1,2,4",
        };
        var candidates = new Option<int>("--candidates")
        {
            Description = "Candidates timed per setting",
            DefaultValueFactory = _ => 8,
        };
        var limit = new Option<int?>("--limit")
        {
            Description = "Override each fitness task's item limit (smaller = quicker bench)",
        };
        var cluster = new Option<string>("--cluster")
        {
            Description = "localhost or redis://host:port (the workers started here join it)",
            DefaultValueFactory = _ => "localhost",
        };
        var command = new Command(
            "cluster",
            "Candidates/s in-process and with N local workers; cluster overhead per candidate."
        )
        {
            config,
            workers,
            candidates,
            limit,
            cluster,
        };
        // --threads: here and in each worker.
        var runtime = RuntimeOptions.AddTo(command, RuntimeOption.Threads);
        command.SetAction(parse =>
        {
            try
            {
                Run(
                    parse.GetValue(config)!,
                    parse.GetValue(workers)!.Split(',').Select(int.Parse).ToArray(),
                    parse.GetValue(candidates),
                    parse.GetValue(limit),
                    runtime.Initialize(parse).Threads!.Value,
                    ClusterAddress.Parse(parse.GetValue(cluster)!)
                );
                return 0;
            }
            catch (Exception e) when (e is ClusterException or ExperimentConfigException)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
        });
        return command;
    }

    /// <param name="Scoring">Seconds spent scoring, summed over candidates (inside the evaluator, on its worker).</param>
    sealed record Row(string Setting, int Workers, double Seconds, int Candidates, double Scoring)
    {
        /// <summary>Wall time per candidate not spent scoring: calls, JSON, scheduling (1 worker: all of it is overhead).</summary>
        public double Overhead => (Seconds * Math.Max(Workers, 1) - Scoring) / Candidates;

        public double PerSecond => Candidates / Seconds;
        public double PerCandidate => Seconds / Candidates;
    }

    static void Run(
        string file,
        int[] counts,
        int count,
        int? limit,
        int threads,
        ClusterAddress address
    )
    {
        var experiment = ExperimentConfigLoader.Load(file) with { Device = "cpu" };
        if (limit is int l)
            experiment = experiment with
            {
                Fitness = experiment.Fitness.Select(t => t with { Limit = l }).ToValueArray(),
            };
        var space = GenomeSpaces.Create(experiment);
        var rng = new Xoshiro256StarStar(experiment.Seed);
        // Candidates near the start, as a first generation would be.
        CandidateRequest[] Batch(int n) =>
            Enumerable
                .Range(0, n)
                .Select(i => new CandidateRequest(
                    i,
                    space
                        .InitialGenome.Select(g =>
                            space.Bounds is null
                                ? g + rng.NextDouble(-0.3, 0.3)
                                : Math.Clamp(g + rng.NextDouble(-0.3, 0.3), 0, 1)
                        )
                        .ToValueArray(),
                    (long)experiment.Seed,
                    experiment.Fitness
                ))
                .ToArray();
        var requests = Batch(count);
        var rows = new List<Row>();

        AnsiConsole.MarkupLine(
            $"[bold]{experiment.Name}[/]: {space.Dimension} genes, {count} candidates per setting, {threads} thread(s) each, cluster {address}"
        );
        using (var local = CandidateEvaluators.Create(experiment, TorchSharp.torch.CPU))
        {
            local.Evaluate(Batch(1)); // warm-up: first-call costs are not the steady state
            var clock = Stopwatch.StartNew();
            var scored = local.Evaluate(requests);
            rows.Add(
                new Row(
                    "in-process",
                    0,
                    clock.Elapsed.TotalSeconds,
                    count,
                    scored.Sum(r => r.Seconds)
                )
            );
            AnsiConsole.MarkupLine($"in-process: {rows[^1].PerCandidate:F3} s/candidate");
        }
        foreach (var n in counts)
        {
            var processes = new List<Process>();
            try
            {
                var clusterId = $"bench-{Environment.ProcessId}-{n}";
                for (int i = 0; i < n; i++)
                    processes.Add(StartWorker(address, clusterId, i, threads));
                foreach (var p in processes)
                    WaitReady(p, TimeSpan.FromSeconds(90));
                using var connection = ClusterConnection
                    .Connect(address, clusterId, TimeSpan.FromSeconds(60))
                    .GetAwaiter()
                    .GetResult();
                using var evaluator = new ClusterCandidateEvaluator(
                    connection,
                    experiment,
                    TimeSpan.FromSeconds(60)
                );
                evaluator.Evaluate(Batch(n)); // every worker loads the models once
                var clock = Stopwatch.StartNew();
                var results = evaluator.Evaluate(requests);
                rows.Add(
                    new Row(
                        $"{n} worker(s)",
                        n,
                        clock.Elapsed.TotalSeconds,
                        count,
                        results.Sum(r => r.Seconds)
                    )
                );
                AnsiConsole.MarkupLine(
                    $"{n} worker(s): {rows[^1].PerSecond:F2} candidates/s on {results.Select(r => r.Worker).Distinct().Count()} worker(s)"
                );
            }
            finally
            {
                foreach (var p in processes)
                    Stop(p);
            }
        }
        var inProcess = rows[0];
        var table = new Table()
            .Title("Candidate evaluation throughput")
            .AddColumns(
                "setting",
                "candidates/s",
                "s/candidate",
                "scoring s/candidate",
                "vs in-process"
            );
        foreach (var row in rows)
            table.AddRow(
                row.Setting,
                $"{row.PerSecond:F2}",
                $"{row.PerCandidate:F3}",
                $"{row.Scoring / row.Candidates:F3}",
                $"{row.PerSecond / inProcess.PerSecond:F2}×"
            );
        AnsiConsole.Write(table);
        if (rows.FirstOrDefault(r => r.Workers == 1) is { } one)
            AnsiConsole.MarkupLine(
                $"1 worker vs in-process: {100 * (one.PerCandidate / inProcess.PerCandidate - 1):+0.0;-0.0} % wall per candidate; of it, the cluster path itself (wall − scoring on the worker) is {one.Overhead:F3} s = {100 * one.Overhead / one.PerCandidate:F1} % of a candidate, the rest is the worker's scoring being slower than here"
            );
    }

    static Process StartWorker(ClusterAddress address, string clusterId, int index, int threads)
    {
        // This CLI again: `dotnet EvoMerge.Cli.dll` or the installed tool's apphost.
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
            start.ArgumentList.Add(typeof(ClusterBenchCommand).Assembly.Location);
        foreach (
            var arg in new[]
            {
                "worker",
                "--cluster",
                address.ToString(),
                "--cluster-id",
                clusterId,
                "--index",
                index.ToString(),
                "--device",
                "cpu",
                "--threads",
                threads.ToString(),
            }
        )
            start.ArgumentList.Add(arg);
        return Process.Start(start)!;
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

    static void Stop(Process worker)
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
}
