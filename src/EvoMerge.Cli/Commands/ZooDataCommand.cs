using System.CommandLine;
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
        var seed = new Option<ulong>("--seed")
        {
            Description = "Seed of the generator (same seed, same bytes).",
            DefaultValueFactory = _ => new ZooDataOptions().Seed,
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
        command.Options.Add(seed);
        command.Options.Add(operandMax);
        command.Options.Add(mathJapanese);
        command.Options.Add(equations);
        command.SetAction(parseResult =>
        {
            var options = new ZooDataOptions
            {
                OutputFolder = parseResult.GetValue(output)!,
                Seed = parseResult.GetValue(seed),
                OperandMax = parseResult.GetValue(operandMax),
                MathJapaneseQuestionShare = parseResult.GetValue(mathJapanese),
                PretrainArithmeticShare = parseResult.GetValue(equations),
            };
            ZooDataReport report;
            try
            {
                report = ZooDataGenerator.Generate(options);
            }
            catch (ArgumentException e)
            {
                Console.Error.WriteLine($"error: {e.Message}");
                return 2;
            }
            foreach (var file in report.Files)
                Console.WriteLine(
                    $"{file.Name, -26} {(file.Items > 0 ? file.Items.ToString() : ""), 6} items {file.Bytes, 9} bytes"
                );
            Console.WriteLine(
                $"Wrote {report.Files.Count} files to {Path.GetFullPath(report.Folder)}"
            );
            return 0;
        });
        return command;
    }
}
