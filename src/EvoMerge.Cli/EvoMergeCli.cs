using System.CommandLine;
using EvoMerge.Cli.Commands;

namespace EvoMerge.Cli;

/// <summary>The `evomerge` command tree: each subcommand lives in Commands/, one file each, and only
/// parses arguments, calls the library and prints.</summary>
public static class EvoMergeCli
{
    /// <summary>`--verbose` on every command: print the stack trace of a failure.</summary>
    public static readonly Option<bool> Verbose = new("--verbose")
    {
        Description = "print the full stack trace when a command fails",
        Recursive = true,
    };

    /// <summary>Builds the root command.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "EvoMerge: evolutionary model merging (PS, DFS, PS+DFS) on TorchSharp."
        );
        root.Options.Add(Verbose);
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    /// <remarks>
    /// The one error boundary: any exception a command lets escape becomes one <c>error:</c> line on
    /// stderr (the stack trace only with <c>--verbose</c>) and <see cref="ExitCodes.Failure"/> or
    /// <see cref="ExitCodes.BadInput"/>.
    /// </remarks>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { EnableDefaultExceptionHandler = false }
            );
        }
        catch (Exception e)
        {
            Console.Error.WriteLine(ExitCodes.Describe(e));
            if (parse.GetValue(Verbose))
                Console.Error.WriteLine(e.ToString());
            return ExitCodes.For(e);
        }
    }
}
