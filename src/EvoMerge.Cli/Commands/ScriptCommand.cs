using System.CommandLine;
using EvoMerge.Cli.Scripting;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge script file.csx [-- args]`: runs a dotnet-script compatible script (see <see cref="ScriptRunner"/>).</summary>
internal static class ScriptCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "The .csx script to run." };
        var args = new Argument<string[]>("args")
        {
            Description = "Arguments for the script's Args (put them after --).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var command = new Command(
            "script",
            "Run a .csx script (dotnet-script format); relative paths resolve from its folder."
        );
        command.Arguments.Add(file);
        command.Arguments.Add(args);
        command.SetAction(
            (parse, cancel) =>
                ScriptRunner.RunAsync(
                    parse.GetValue(file)!.FullName,
                    parse.GetValue(args) ?? [],
                    Console.Error,
                    cancel
                )
        );
        return command;
    }
}
