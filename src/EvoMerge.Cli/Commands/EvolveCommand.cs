using System.CommandLine;
using EvoMerge.Cli.Options;
using EvoMerge.Common;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Reports;
using EvoMerge.Evolution.Runs;
using Spectre.Console;

namespace EvoMerge.Cli.Commands;

/// <summary>
/// `evomerge evolve [config.yaml]`: runs an evolutionary search and writes runs/&lt;name&gt;/. With no
/// config it runs the embedded default, data/experiments/ps.yaml: the PS search on the shipped zoo.
/// </summary>
internal static class EvolveCommand
{
    public const string DefaultConfig = "data/experiments/ps.yaml";

    public static Command Create()
    {
        var config = new Argument<string?>("config")
        {
            Description = $"Experiment YAML (default: {DefaultConfig})",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue the run in runs/<name>/ exactly where it stopped",
        };
        var runs = new Option<string>("--runs")
        {
            Description = "Folder holding the runs",
            DefaultValueFactory = _ => "runs",
        };
        var budget = new Option<int?>("--budget")
        {
            Description = "Override the evaluation budget",
        };
        var force = new Option<bool>("--force")
        {
            Description = "Replace an existing run of the same name",
        };
        var cluster = new Option<string?>("--cluster")
        {
            Description =
                "Score candidates on workers (`evomerge worker`): localhost or redis://host:port",
        };
        var clusterId = ClusterArguments.Id();
        var wait = new Option<int>("--wait-workers")
        {
            Description = "Seconds to wait for a worker (at start, and when every worker is gone)",
            DefaultValueFactory = _ => 60,
        };
        var command = new Command(
            "evolve",
            "Run an evolutionary merge search (PS, DFS, PS+DFS or NSGA-II)."
        )
        {
            config,
            resume,
            runs,
            budget,
            force,
            cluster,
            clusterId,
            wait,
        };
        var runtime = RuntimeOptions.AddTo(command, RuntimeOption.Device | RuntimeOption.Threads);
        command.SetAction(parse =>
            ExitCodes.Guard(
                parse,
                () =>
                {
                    var clustered = parse.GetValue(cluster) is { } address
                        ? new Clustered(
                            EvoMerge.Cluster.ClusterAddress.Parse(address),
                            parse.GetValue(clusterId)!,
                            TimeSpan.FromSeconds(parse.GetValue(wait))
                        )
                        : null;
                    return Execute(parse, config, resume, runs, runtime, budget, force, clustered);
                }
            )
        );
        return command;
    }

    /// <summary>--cluster, --cluster-id and --wait-workers, when the candidates are scored on workers.</summary>
    sealed record Clustered(EvoMerge.Cluster.ClusterAddress Address, string Id, TimeSpan Wait);

    static int Execute(
        ParseResult parse,
        Argument<string?> config,
        Option<bool> resume,
        Option<string> runs,
        RuntimeOptions runtime,
        Option<int?> budget,
        Option<bool> force,
        Clustered? clustered
    )
    {
        var file = parse.GetValue(config) ?? RepoPaths.Find(DefaultConfig);
        var experiment = ExperimentConfigLoader.Load(file);
        // Task data is checked before libtorch and the models load: a bad line fails in a second.
        TaskPreflight.Check(experiment);
        if (parse.GetValue(budget) is int b)
            experiment = experiment with { Budget = b };
        if (Environment.GetEnvironmentVariable("EVOMERGE_QUICK") == "1")
            experiment = experiment with
            {
                Budget = Math.Min(experiment.Budget, 2 * (experiment.Population ?? 9)),
            };
        if (runtime.DeviceValue(parse) is string d)
            experiment = experiment with { Device = d };
        // From here on `experiment` is the effective config: what the run folder records as config.json.
        var torchDevice = runtime.Initialize(parse, experiment.Device).Device;
        var folder = new RunFolder(Path.Combine(parse.GetValue(runs)!, experiment.Name));
        if (parse.GetValue(force) && Directory.Exists(folder.Path) && !parse.GetValue(resume))
        {
            folder.EnsureOnlyRunFiles();
            Directory.Delete(folder.Path, recursive: true);
        }

        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
            Console.Error.WriteLine(
                "Stopping after the current evaluation; the last full generation is saved (resume with --resume)."
            );
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            AnsiConsole.MarkupLine(
                $"[bold]{experiment.Name}[/]: {experiment.Mode} search, budget {experiment.Budget}, seed {experiment.Seed}, device {torchDevice}"
            );
            using var connection = clustered is var (address, id, wait)
                ? EvoMerge
                    .Cluster.ClusterConnection.Connect(address, id, wait)
                    .GetAwaiter()
                    .GetResult()
                : null;
            using ICandidateEvaluator evaluator = connection is not null
                ? new EvoMerge.Cluster.ClusterCandidateEvaluator(
                    connection,
                    experiment,
                    clustered!.Wait,
                    line => Console.Error.WriteLine($"warning: {line}")
                )
                : CandidateEvaluators.Create(experiment, torchDevice);
            if (connection is not null)
                AnsiConsole.MarkupLine(
                    $"cluster {connection.Address}: {connection.Workers().GetAwaiter().GetResult().Count} worker(s) now"
                );
            AnsiConsole.MarkupLine(
                $"genome: {evaluator.Space.Dimension} genes; fitness on {string.Join(", ", experiment.Fitness.Select(t => t.Name))}"
            );
            var result = RunWithProgress(
                experiment,
                evaluator,
                folder,
                parse.GetValue(resume),
                cancel.Token
            );
            if (result.Interrupted)
            {
                AnsiConsole.MarkupLine(
                    $"[yellow]interrupted[/] after {result.Generations} generations; resume with: evomerge evolve {file} --resume"
                );
                return 130;
            }
            AnsiConsole.MarkupLine(
                $"best fitness {result.BestFitness:F3} after {result.Evaluations} evaluations, {result.Generations} generations, {result.Seconds:F0} s ({result.StopReason})"
            );
            if (experiment.Validation is { } validation)
            {
                // The table needs the models here: a cluster run loads them once in this process.
                if (evaluator is IGenomeEvaluator local)
                    PrintTable(local, result, validation);
                else
                {
                    using var here = CandidateEvaluators.Create(experiment, torchDevice);
                    PrintTable(here, result, validation);
                }
            }
            AnsiConsole.MarkupLine(
                $"run files: [link]{folder.Path}[/] (config.yaml, config.json, log.jsonl, generations.jsonl, optimizer.json, {evaluator.Space.BestFileName}, summary.json)"
            );
            return 0;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    static RunResult RunWithProgress(
        ExperimentConfig experiment,
        ICandidateEvaluator evaluator,
        RunFolder folder,
        bool resume,
        CancellationToken token
    )
    {
        RunResult? result = null;
        AnsiConsole
            .Progress()
            .Columns(
                new TaskDescriptionColumn(),
                new ProgressBarColumn(),
                new PercentageColumn(),
                new RemainingTimeColumn(),
                new SpinnerColumn()
            )
            .Start(context =>
            {
                var task = context.AddTask("starting", maxValue: experiment.Budget);
                var workers = new SortedDictionary<string, (int Count, double Seconds)>(
                    StringComparer.Ordinal
                );
                var progress = new SyncProgress<RunProgress>(p =>
                {
                    task.Value = Math.Min(p.Evaluations, experiment.Budget);
                    var (count, seconds) = workers.GetValueOrDefault(p.Worker);
                    workers[p.Worker] = (count + 1, seconds + p.LastSeconds);
                    // Per-worker throughput (candidates per second of that worker's busy time).
                    var perWorker =
                        workers.Count > 1 || p.Worker != CandidateEvaluators.InProcess
                            ? " · "
                                + string.Join(
                                    ", ",
                                    workers.Select(w =>
                                        $"{Markup.Escape(w.Key)} {w.Value.Count} ({w.Value.Count / Math.Max(w.Value.Seconds, 1e-9):F2}/s)"
                                    )
                                )
                            : "";
                    task.Description =
                        $"gen {p.Generation} · eval {p.Evaluations}/{p.Budget} · best {p.BestFitness:F3} · last {p.LastFitness:F3}{perWorker}";
                });
                result = EvolutionRun.Run(
                    experiment,
                    evaluator,
                    folder,
                    resume,
                    progress,
                    token,
                    line => Console.Error.WriteLine($"note: {line}")
                );
                task.Value = experiment.Budget;
            });
        return result!;
    }

    static void PrintTable(IGenomeEvaluator evaluator, RunResult result, FitnessTask validation)
    {
        var rows = evaluator.Space switch
        {
            PsGenomeSpace => PsReport.Build(evaluator, result.BestGenome, validation),
            DfsGenomeSpace => DfsReport.Build(evaluator, result.BestGenome, validation),
            _ => [],
        };
        var table = new Table()
            .Title($"{validation.Name}: correct and in the target language ({validation.Metric})")
            .AddColumns("entry", "accuracy", "items", "evolved vs this: McNemar p");
        // The last row is the evolved candidate; each other row is tested against it, item by item.
        foreach (var row in rows)
            table.AddRow(
                row.Entry,
                $"{100 * row.Accuracy:F1} %",
                row.Items.ToString(),
                ReferenceEquals(row, rows[^1]) || rows[^1].Against(row) is not { } test
                    ? ""
                    : $"{test.P:G2} ({test.OnlyFirst} vs {test.OnlySecond} items)"
            );
        AnsiConsole.Write(table);
        AtomicFile.WriteAllText(
            Path.Combine(result.Folder, "validation.json"),
            System.Text.Json.JsonSerializer.Serialize(
                rows,
                new System.Text.Json.JsonSerializerOptions { WriteIndented = true }
            )
        );
    }
}
