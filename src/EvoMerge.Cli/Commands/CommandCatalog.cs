using System.CommandLine;

namespace EvoMerge.Cli.Commands;

/// <summary>Every subcommand of `evomerge`, in help order.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> All()
    {
        yield return EvolveCommand.Create();
        yield return WorkerCommand.Create();
        yield return ProbeCommand.Create();
        yield return InfoCommand.Create();
        yield return RouteLogitsCommand.Create();
        yield return TokenizeCommand.Create();
        yield return ZooCommand.Create();
        yield return ScriptCommand.Create();
        yield return NotebookCommand.Create();
        yield return MergeCommand.Create();
        yield return LogitsCommand.Create();
        yield return GenerateCommand.Create();
        yield return BenchCommand.Create();
    }
}
