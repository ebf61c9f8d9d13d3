using System.CommandLine;
using EvoMerge.Cli.Kernel;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge notebook run nb.ipynb [--inplace | -o out.ipynb]`: runs a notebook in the real .NET Interactive kernel, headless (see <see cref="NotebookRunner"/>).</summary>
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
        var timeout = new Option<int>("--cell-timeout")
        {
            Description = "Seconds one cell may run before the kernel is stopped.",
            DefaultValueFactory = _ => (int)NotebookRunner.DefaultCellTimeout.TotalSeconds,
        };
        var command = new Command(
            "run",
            "Run every code cell in order in the .NET Interactive kernel (dotnet-interactive stdio, as VS Code does) and record its outputs (without --inplace or -o: run only)."
        );
        command.Arguments.Add(file);
        command.Options.Add(inplace);
        command.Options.Add(output);
        command.Options.Add(timeout);
        command.SetAction(
            async (parse, cancel) =>
            {
                var input = parse.GetValue(file)!;
                var target = parse.GetValue(output);
                if (parse.GetValue(inplace) && target is not null)
                {
                    await Console.Error.WriteLineAsync(
                        "error: use either --inplace or -o, not both"
                    );
                    return ExitCodes.BadInput;
                }
                if (!input.Exists)
                {
                    await Console.Error.WriteLineAsync(
                        $"error: {input.FullName}: notebook not found"
                    );
                    return ExitCodes.BadInput;
                }
                var destination = parse.GetValue(inplace) ? input.FullName : target?.FullName;
                NotebookRunResult result;
                try
                {
                    result = await NotebookRunner.RunAsync(
                        input.FullName,
                        destination,
                        Console.Out,
                        TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))),
                        cancel: cancel
                    );
                }
                catch (InvalidDataException bad)
                {
                    await Console.Error.WriteLineAsync(ExitCodes.Describe(bad));
                    return ExitCodes.BadInput;
                }
                catch (KernelException kernel)
                {
                    await Console.Error.WriteLineAsync(
                        $"error: {input.FullName}: {kernel.Message}"
                    );
                    return ExitCodes.Failure;
                }
                if (result.WrittenTo is not null)
                    Console.WriteLine($"wrote {result.WrittenTo}");
                if (!result.Succeeded)
                {
                    await Console.Error.WriteLineAsync($"error: {result.Error}");
                    return ExitCodes.Failure;
                }
                Console.WriteLine(
                    $"{result.CellsRun}/{result.CodeCells} code cells ran in {result.Elapsed.TotalSeconds:0} s"
                );
                return 0;
            }
        );
        return command;
    }
}
