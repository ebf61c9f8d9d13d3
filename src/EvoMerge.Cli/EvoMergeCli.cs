using System.CommandLine;
using EvoMerge.Cli.Commands;

namespace EvoMerge.Cli;

/// <summary>The `evomerge` command tree: each subcommand lives in Commands/, one file each, and only
/// parses arguments, calls the library and prints.</summary>
public static class EvoMergeCli
{
    /// <summary>Builds the root command.</summary>
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand(
            "EvoMerge: evolutionary model merging (PS, DFS, PS+DFS) on TorchSharp."
        );
        foreach (var command in CommandCatalog.All())
            root.Subcommands.Add(command);
        return root;
    }

    /// <summary>Parses and runs <paramref name="args"/>; returns the exit code.</summary>
    public static Task<int> RunAsync(string[] args) => BuildRoot().Parse(args).InvokeAsync();
}
