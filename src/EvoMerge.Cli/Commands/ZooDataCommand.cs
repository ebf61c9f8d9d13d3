using System.CommandLine;
using EvoMerge.Cli.Options;
using EvoMerge.Zoo.Data;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge zoo data [-o data/tasks] [--seed N]`: writes the zoo's task files deterministically.</summary>
internal static class ZooDataCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--output", "-o")
        {
            Description = "Folder for the task files.",
            DefaultValueFactory = _ => Path.Combine("data", "tasks"),
        };
        var defaults = new ZooDataOptions();
        var operandMax = new Option<int>("--operand-max")
        {
            Description = "Largest operand of every math problem (results reach twice this).",
            DefaultValueFactory = _ => defaults.OperandMax,
        };
        var mathJapanese = new Option<double>("--math-japanese-share")
        {
            Description = "Share of MATH-A/B problems told in Japanese (answers stay symbolic).",
            DefaultValueFactory = _ => defaults.MathJapaneseQuestionShare,
        };
        var equations = new Option<double>("--pretrain-equation-share")
        {
            Description = "Share of pretraining documents that are bare equations (12 + 7 = 19).",
            DefaultValueFactory = _ => defaults.PretrainArithmeticShare,
        };
        var command = new Command(
            "data",
            "Generate the task data: bilingual pretraining text, JA text, English math (A, B), Japanese math target splits."
        );
        command.Options.Add(output);
        // The shipped task data's seed: `zoo data` without --seed rewrites data/tasks byte for byte.
        var runtime = RuntimeOptions.AddTo(command, RuntimeOption.Seed, seedDefault: defaults.Seed);
        command.Options.Add(operandMax);
        command.Options.Add(mathJapanese);
        command.Options.Add(equations);
        command.SetAction(parseResult =>
            ExitCodes.Guard(
                parseResult,
                () =>
                {
                    var options = new ZooDataOptions
                    {
                        OutputFolder = parseResult.GetValue(output)!,
                        Seed = runtime.Initialize(parseResult).Seed,
                        OperandMax = parseResult.GetValue(operandMax),
                        MathJapaneseQuestionShare = parseResult.GetValue(mathJapanese),
                        PretrainArithmeticShare = parseResult.GetValue(equations),
                    };
                    var report = ZooDataGenerator.Generate(options);
                    foreach (var file in report.Files)
                        Console.WriteLine(
                            $"{file.Name, -26} {(file.Items > 0 ? file.Items.ToString() : ""), 6} items {file.Bytes, 9} bytes"
                        );
                    Console.WriteLine(
                        $"Wrote {report.Files.Count} files to {Path.GetFullPath(report.Folder)}"
                    );
                    return 0;
                }
            )
        );
        return command;
    }
}
