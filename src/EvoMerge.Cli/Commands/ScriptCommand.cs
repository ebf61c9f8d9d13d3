using System.CommandLine;
using EvoMerge.Cli.Kernel;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge script file.csx [-- args]`: runs a dotnet-script compatible script in the .NET Interactive kernel (see <see cref="ScriptRunner"/>).</summary>
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
            "Run a .csx script (dotnet-script format) in the .NET Interactive kernel; relative paths resolve from its folder."
        );
        command.Arguments.Add(file);
        command.Arguments.Add(args);
        command.SetAction(
            async (parse, cancel) =>
            {
                try
                {
                    return await ScriptRunner.RunAsync(
                        parse.GetValue(file)!.FullName,
                        parse.GetValue(args) ?? [],
                        Console.Out,
                        Console.Error,
                        cancel: cancel
                    );
                }
                catch (KernelException kernel)
                {
                    await Console.Error.WriteLineAsync($"error: {kernel.Message}");
                    return ScriptRunner.Failed;
                }
            }
        );
        return command;
    }
}
