using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EvoMerge.Cli.Options;
using EvoMerge.Common;
using EvoMerge.Evolution.Runs;
using EvoMerge.Probing;
using Spectre.Console;

namespace EvoMerge.Cli.Commands;

/// <summary>
/// `evomerge probe [config.yaml]`: the mergeability report of a PS config's sources (task-vector
/// geometry per layer, scaled task vectors, DARE at 90 % drop, pair retention, untuned merges on the
/// target). Prints two tables and writes runs/&lt;name&gt;-probe/probe.json.
/// </summary>
internal static class ProbeCommand
{
    public static Command Create()
    {
        var config = new Argument<string?>("config")
        {
            Description =
                $"PS experiment YAML with base_model, sources, held_in and validation (default: {EvolveCommand.DefaultConfig})",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var runs = new Option<string>("--runs")
        {
            Description = "Folder holding the runs (the report goes to <runs>/<name>-probe/)",
            DefaultValueFactory = _ => "runs",
        };
        var command = new Command(
            "probe",
            "Check whether a set of fine-tunes of one base can be merged, before any search."
        )
        {
            config,
            runs,
        };
        var runtime = RuntimeOptions.AddTo(command, RuntimeOption.Device | RuntimeOption.Threads);
        command.SetAction(parse =>
            ExitCodes.Guard(
                parse,
                () =>
                {
                    var file =
                        parse.GetValue(config) ?? RepoPaths.Find(EvolveCommand.DefaultConfig);
                    var experiment = ExperimentConfigLoader.Load(file);
                    var torchDevice = runtime.Initialize(parse, experiment.Device).Device;
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    var report = MergeabilityProbe.Run(
                        experiment,
                        torchDevice,
                        new SyncProgress<string>(line =>
                            Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}")
                        )
                    );
                    Print(report);
                    var output = Path.Combine(parse.GetValue(runs)!, $"{experiment.Name}-probe");
                    Directory.CreateDirectory(output);
                    var json = Path.Combine(output, "probe.json");
                    AtomicFile.WriteAllText(json, JsonSerializer.Serialize(report, Indented));
                    Console.WriteLine($"probe written to {json} ({report.Seconds:F0} s)");
                    return 0;
                }
            )
        );
        return command;
    }

    static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    static string P(double x) => (100 * x).ToString("F1", CultureInfo.InvariantCulture);

    static void Print(ProbeReport report)
    {
        var geometry = new Table
        {
            Title = new TableTitle("task vectors: ‖τ‖ / ‖base‖ and cosines"),
        };
        geometry.AddColumn("group");
        foreach (var s in report.Sources)
            geometry.AddColumn(new TableColumn($"‖τ {s}‖ %").RightAligned());
        foreach (var p in report.Pairs)
            geometry.AddColumn(new TableColumn($"cos {p}").RightAligned());
        foreach (var layer in report.Layers)
            geometry.AddRow([
                layer.Group,
                .. layer.NormRatios.Select(P),
                .. layer.Cosines.Select(c => c.ToString("F2", CultureInfo.InvariantCulture)),
            ]);
        AnsiConsole.Write(geometry);

        var scores = new Table
        {
            Title = new TableTitle("behaviour (accuracy %, retention of the member's own)"),
        };
        scores.AddColumns(
            "entry",
            "kind",
            "task",
            "accuracy %",
            "correct any language",
            "retention %"
        );
        foreach (var s in report.Scores)
            scores.AddRow(
                s.Entry,
                s.Kind,
                s.Task,
                P(s.Accuracy),
                $"{s.Correct}/{s.Items}",
                s.Retention is { } r ? P(r) : ""
            );
        AnsiConsole.Write(scores);
    }
}
