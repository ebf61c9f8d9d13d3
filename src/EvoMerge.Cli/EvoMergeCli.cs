using System.CommandLine;
using EvoMerge.Cli.Commands;
using EvoMerge.Common;

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

    /// <summary>
    /// The one <c>error:</c> line for arguments that do not parse: an unknown command (with a
    /// did-you-mean hint, even when <c>--help</c> is given, which would otherwise print the parent's
    /// help and exit 0), or the parser's messages when no help was asked for. Null when the
    /// arguments parse, or when help is asked for a known command.
    /// </summary>
    public static string? ParseError(ParseResult parse)
    {
        var command = parse.CommandResult.Command;
        var path = string.Join(
            " ",
            Ancestors(parse.CommandResult)
                .Reverse()
                .Select(c => c is RootCommand ? "evomerge" : c.Name)
        );
        var unknown = parse.UnmatchedTokens.FirstOrDefault(t => !t.StartsWith('-'));
        if (command.Subcommands.Count > 0 && unknown is not null)
        {
            var names = command
                .Subcommands.Where(c => !c.Hidden)
                .SelectMany(c => c.Aliases.Prepend(c.Name));
            return $"error: unknown command '{unknown}' for '{path}'{DidYouMean.Hint(unknown, names)} (see {path} --help)";
        }
        if (
            parse.Errors.Count == 0
            || parse.Action is not System.CommandLine.Invocation.ParseErrorAction
        )
            return null;
        var messages = string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')));
        return $"error: {messages} (see {path} --help)";
    }

    static IEnumerable<Command> Ancestors(System.CommandLine.Parsing.SymbolResult? result)
    {
        for (; result is not null; result = result.Parent)
            if (result is System.CommandLine.Parsing.CommandResult c)
                yield return c.Command;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    /// <remarks>
    /// The outer error boundary: bad input is reported inside each command
    /// (<see cref="ExitCodes.Guard(ParseResult, Func{int})"/>); any other exception a command lets
    /// escape becomes the same one <c>error:</c> line on stderr (the stack trace only with
    /// <c>--verbose</c>) and <see cref="ExitCodes.For"/>'s code.
    /// </remarks>
    public static async Task<int> RunAsync(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        if (ParseError(parse) is { } line)
        {
            Console.Error.WriteLine(line);
            return ExitCodes.BadInput;
        }
        try
        {
            return await parse.InvokeAsync(
                new InvocationConfiguration { EnableDefaultExceptionHandler = false }
            );
        }
        catch (Exception e)
        {
            ExitCodes.Report(Console.Error, parse.GetValue(Verbose), e);
            return ExitCodes.For(e);
        }
    }
}
