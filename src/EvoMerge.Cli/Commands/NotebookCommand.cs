using System.CommandLine;
using EvoMerge.Cli.Scripting;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge notebook run nb.ipynb [--inplace | -o out.ipynb]`: runs a notebook headless (see <see cref="NotebookExecutor"/>).</summary>
internal static class NotebookCommand
{
    public static Command Create()
    {
        var notebook = new Command("notebook", "Polyglot (.NET C#) notebooks, headless.");
        notebook.Subcommands.Add(Run());
        return notebook;
    }

    static Command Run()
    {
        var file = new Argument<FileInfo>("notebook")
        {
            Description = "The .ipynb notebook to run.",
        };
        var inplace = new Option<bool>("--inplace")
        {
            Description = "Write the outputs back into the notebook.",
        };
        var output = new Option<FileInfo?>("--output", "-o")
        {
            Description = "Write the notebook with outputs to this file instead.",
        };
        var command = new Command(
            "run",
            "Run every C# cell in one state and record outputs (without --inplace or -o: run only)."
        );
        command.Arguments.Add(file);
        command.Options.Add(inplace);
        command.Options.Add(output);
        command.SetAction(
            async (parse, cancel) =>
            {
                var input = parse.GetValue(file)!;
                var target = parse.GetValue(output);
                if (parse.GetValue(inplace) && target is not null)
                {
                    await Console.Error.WriteLineAsync("Use either --inplace or -o, not both.");
                    return 2;
                }
                if (!input.Exists)
                {
                    await Console.Error.WriteLineAsync($"{input.FullName}: notebook not found");
                    return 2;
                }
                var destination = parse.GetValue(inplace) ? input.FullName : target?.FullName;
                NotebookRunResult result;
                try
                {
                    result = await NotebookExecutor.RunAsync(
                        input.FullName,
                        destination,
                        Console.Out,
                        cancel
                    );
                }
                catch (InvalidDataException bad)
                {
                    await Console.Error.WriteLineAsync(bad.Message);
                    return 2;
                }
                if (result.WrittenTo is not null)
                    Console.WriteLine($"wrote {result.WrittenTo}");
                if (!result.Succeeded)
                {
                    await Console.Error.WriteLineAsync(result.Error);
                    return 1;
                }
                Console.WriteLine($"{result.CellsRun} code cells ran");
                return 0;
            }
        );
        return command;
    }
}
