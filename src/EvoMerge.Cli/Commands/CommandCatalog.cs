using System.CommandLine;

namespace EvoMerge.Cli.Commands;

/// <summary>Every subcommand of `evomerge`, in help order.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return InfoCommand.Create();
        yield return MergeCommand.Create();
        yield return BenchCommand.Create();
    }
}
