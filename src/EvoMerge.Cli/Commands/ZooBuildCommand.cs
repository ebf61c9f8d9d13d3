using System.CommandLine;
using EvoMerge.Cli.Options;
using EvoMerge.Zoo.Building;
using Spectre.Console;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge zoo build`: trains the tokenizer and the four zoo models from the task data.</summary>
internal static class ZooBuildCommand
{
    public static Command Create()
    {
        var tasks = new Option<string>("--tasks")
        {
            Description = "Task data folder",
            DefaultValueFactory = _ => Path.Combine("data", "tasks"),
        };
        var output = new Option<string>("-o", "--output")
        {
            Description = "Zoo folder",
            DefaultValueFactory = _ => Path.Combine("data", "zoo"),
        };
        var scale = new Option<double>("--scale")
        {
            Description = "Multiply every stage's step count (e.g. 0.05 for a smoke run)",
            DefaultValueFactory = _ => 1.0,
        };
        var fineTuneLr = new Option<double>("--fine-tune-lr")
        {
            Description = "Peak learning rate of the math fine-tunes",
            DefaultValueFactory = _ => ZooOptions.DefaultFineTuneLearningRate,
        };
        var jaLr = new Option<double>("--ja-lr")
        {
            Description = "Peak learning rate of the JA fine-tune",
            DefaultValueFactory = _ => ZooOptions.DefaultJaLearningRate,
        };
        var only = new Option<string[]>("--only")
        {
            Description =
                "Retrain only these stages (e.g. --only ja math-a), reusing the existing zoo's tokenizer and other models",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command(
            "build",
            "Train the tokenizer and the base, JA, MATH-A and MATH-B models."
        )
        {
            tasks,
            output,
            scale,
            only,
            fineTuneLr,
            jaLr,
        };
        // Seed 1 and one thread: the shipped zoo (rebuilt bit-identically only with the same thread count).
        var runtime = RuntimeOptions.AddTo(
            command,
            RuntimeOption.Threads | RuntimeOption.Seed,
            seedDefault: 1
        );
        command.SetAction(parse =>
            ExitCodes.Guard(
                parse,
                () => Run(parse, runtime, tasks, output, scale, only, fineTuneLr, jaLr)
            )
        );
        return command;
    }

    static int Run(
        ParseResult parse,
        RuntimeOptions runtime,
        Option<string> tasks,
        Option<string> output,
        Option<double> scale,
        Option<string[]> only,
        Option<double> fineTuneLr,
        Option<double> jaLr
    )
    {
        var settings = runtime.Initialize(parse);
        var options = new ZooOptions
        {
            TasksFolder = parse.GetValue(tasks)!,
            OutputFolder = parse.GetValue(output)!,
            Seed = settings.Seed,
            Threads = settings.Threads!.Value,
            Stages = ZooOptions.DefaultStages(
                parse.GetValue(scale),
                parse.GetValue(fineTuneLr),
                parse.GetValue(jaLr)
            ),
            Only = parse.GetValue(only) is { Length: > 0 } names
                ? EvoMerge.Common.ValueArray.ToValueArray(names)
                : null,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var reports = ZooBuilder.Build(
            options,
            new EvoMerge.Common.SyncProgress<string>(line =>
                Console.WriteLine($"[{clock.Elapsed:mm\\:ss}] {line}")
            )
        );
        var table = new Table().AddColumns("model", "steps", "tokens", "final loss", "seconds");
        foreach (var r in reports)
            table.AddRow(
                r.Name,
                r.Training.Steps.ToString(),
                r.Training.Tokens.ToString("N0"),
                r.Training.FinalLoss.ToString("F3"),
                r.Training.Seconds.ToString("F0")
            );
        AnsiConsole.Write(table);
        Console.WriteLine(
            $"zoo written to {Path.GetFullPath(options.OutputFolder)} in {clock.Elapsed.TotalSeconds:F0} s"
        );
        return 0;
    }
}
