using System.CommandLine;
using System.Diagnostics;
using EvoMerge.Cli.Options;
using EvoMerge.Cluster;
using EvoMerge.Cluster.Benchmarks;
using Spectre.Console;

namespace EvoMerge.Cli.Commands.Bench;

/// <summary>
/// `evomerge bench cluster`: <see cref="ClusterBenchmark"/> with workers that are this CLI again
/// (`evomerge worker`), started here, on this machine, and stopped at the end.
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
            ExitCodes.Guard(
                parse,
                () =>
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
            )
        );
        return command;
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
        var bench = new ClusterBenchmark(file, count, limit);
        AnsiConsole.MarkupLine(
            $"[bold]{bench.Experiment.Name}[/]: {bench.Space.Dimension} genes, {count} candidates per setting, {threads} thread(s) each, cluster {address}"
        );
        var rows = bench.Run(
            counts,
            address,
            (clusterId, index) => WorkerStart(address, clusterId, index, threads),
            row =>
                AnsiConsole.MarkupLine(
                    row.Workers == 0
                        ? $"in-process: {row.PerCandidate:F3} s/candidate"
                        : $"{row.Workers} worker(s): {row.PerSecond:F2} candidates/s on {row.WorkersUsed} worker(s)"
                )
        );
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

    /// <summary>This CLI again (`dotnet EvoMerge.Cli.dll` or the installed tool's apphost) as `evomerge worker`.</summary>
    static ProcessStartInfo WorkerStart(
        ClusterAddress address,
        string clusterId,
        int index,
        int threads
    )
    {
        var host = Environment.ProcessPath!;
        var start = new ProcessStartInfo(host);
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
        return start;
    }
}
