using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;

namespace EvoMerge.Cli.Scripting;

/// <summary>
/// Runs a dotnet-script compatible <c>.csx</c> file with Roslyn scripting (<c>evomerge script</c>).
/// While it runs, the current directory is the script's folder, so relative paths in the script
/// (<c>#r</c>, <c>#load</c> and file IO alike) resolve from there; it is restored afterwards.
/// </summary>
public static class ScriptRunner
{
    /// <summary>Exit code for compilation errors and runtime exceptions.</summary>
    public const int Failed = 1;

    /// <summary>Exit code when the script file does not exist.</summary>
    public const int NotFound = 2;

    /// <summary>
    /// Compiles and runs <paramref name="scriptPath"/> with <paramref name="args"/> as <c>Args</c>.
    /// Errors go to <paramref name="error"/> as <c>file:line:col: error CSxxxx: message</c>, or the
    /// exception's message and stack. A script ending in <c>return N;</c> exits with N.
    /// </summary>
    /// <returns>The exit code: 0, the script's own int result, or <see cref="Failed"/>/<see cref="NotFound"/>.</returns>
    public static async Task<int> RunAsync(
        string scriptPath,
        IReadOnlyList<string> args,
        TextWriter error,
        CancellationToken cancel = default
    )
    {
        var full = Path.GetFullPath(scriptPath);
        if (!File.Exists(full))
        {
            await error.WriteLineAsync($"{scriptPath}: script not found");
            return NotFound;
        }
        var code = await File.ReadAllTextAsync(full, cancel);
        var script = CSharpScript.Create(
            code,
            ScriptSetup.Options(full),
            typeof(ScriptGlobals),
            ScriptSetup.Loader()
        );
        var errors = ScriptDiagnostics.Errors(script.Compile(cancel));
        if (errors.Count > 0)
        {
            foreach (var line in errors)
                await error.WriteLineAsync(line);
            return Failed;
        }

        using (await ScriptExecutionGate.EnterAsync(Path.GetDirectoryName(full)!, cancel))
        {
            var state = await script.RunAsync(
                new ScriptGlobals([.. args]),
                catchException: _ => true,
                cancel
            );
            if (state.Exception is { } exception)
            {
                await error.WriteLineAsync(ScriptErrors.Describe(exception));
                return Failed;
            }
            return state.ReturnValue is int exitCode ? exitCode : 0;
        }
    }
}
