using System.CommandLine;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge zoo`: the tiny model zoo (task data now; training joins here as `zoo build`).</summary>
internal static class ZooCommand
{
    public static Command Create()
    {
        var command = new Command("zoo", "Generate the tiny model zoo's data and models.");
        command.Subcommands.Add(ZooDataCommand.Create());
        command.Subcommands.Add(ZooBuildCommand.Create());
        return command;
    }
}
