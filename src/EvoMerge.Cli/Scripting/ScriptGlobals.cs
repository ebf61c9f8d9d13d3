namespace EvoMerge.Cli.Scripting;

/// <summary>
/// Globals every script sees, as dotnet-script gives them: <c>Args</c> holds the arguments after
/// <c>--</c> on the command line.
/// </summary>
public class ScriptGlobals(IList<string> args)
{
    /// <summary>The script's command-line arguments (those after <c>--</c>).</summary>
    public IList<string> Args { get; } = args;
}
