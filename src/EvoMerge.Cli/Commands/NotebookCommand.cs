using System.CommandLine;

namespace EvoMerge.Cli.Commands;

internal static class NotebookCommand
{
    public static Command Create() => new("notebook", "Run Polyglot (.NET C#) notebooks headless.");
}
