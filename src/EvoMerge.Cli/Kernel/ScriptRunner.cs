using System.Text.Json;
using System.Text.RegularExpressions;

namespace EvoMerge.Cli.Kernel;

/// <summary>
/// Runs a <c>.csx</c> script (the Roslyn script dialect dotnet-script uses: <c>#r</c>, <c>#load</c>,
/// top-level code, <c>Args</c>) in the same real kernel as the notebooks: <c>Args</c> is defined
/// first, then the whole file is one submission, with the script's folder as current directory.
/// Console output streams through; compile errors print as <c>file:line:col: error CSxxxx: message</c>;
/// a trailing <c>return N;</c> becomes the exit code.
/// </summary>
public static partial class ScriptRunner
{
    /// <summary>Exit code when the script fails to compile or throws.</summary>
    public const int Failed = ExitCodes.Failure;

    /// <summary>Exit code when the script file does not exist.</summary>
    public const int NotFound = ExitCodes.BadInput;

    /// <summary>Default limit for one script run.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromHours(2);

    /// <summary>Runs <paramref name="scriptPath"/> with <paramref name="args"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(
        string scriptPath,
        IReadOnlyList<string> args,
        TextWriter stdout,
        TextWriter stderr,
        TimeSpan? timeout = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancel = default
    )
    {
        var full = Path.GetFullPath(scriptPath);
        if (!File.Exists(full))
        {
            await stderr.WriteLineAsync($"error: {full}: script not found");
            return NotFound;
        }
        var code = await File.ReadAllTextAsync(full, cancel);
        await using var kernel = await KernelSession.StartAsync(
            Path.GetDirectoryName(full)!,
            environment,
            cancel: cancel
        );
        var limit = timeout ?? DefaultTimeout;
        // dotnet-script's default usings (the kernel's lack System.IO and System.Diagnostics) and
        // its global IList<string> Args (JSON string literals are valid C# literals).
        var defineArgs =
            "using System.IO; using System.Diagnostics; using System.Text; "
            + "var Args = (System.Collections.Generic.IList<string>)new System.Collections.Generic.List<string> { "
            + string.Join(", ", args.Select(a => JsonSerializer.Serialize(a)))
            + " };";
        var prelude = await kernel.SubmitAsync(defineArgs, limit, cancel: cancel);
        if (!prelude.Succeeded)
        {
            await stderr.WriteLineAsync(
                $"error: {full}: the kernel rejected Args: {prelude.Error}"
            );
            return Failed;
        }
        var result = await kernel.SubmitAsync(
            code,
            limit,
            output =>
            {
                switch (output.Kind)
                {
                    case KernelOutputKind.StandardOutput:
                        stdout.Write(output.Text);
                        break;
                    case KernelOutputKind.StandardError:
                        stderr.Write(output.Text);
                        break;
                    case KernelOutputKind.Display:
                        stdout.WriteLine(
                            output.Get("text/plain")
                                ?? $"[{string.Join(", ", output.Values.Select(v => v.MimeType))} output]"
                        );
                        break;
                }
            },
            cancel
        );
        await stdout.FlushAsync(cancel);
        if (!result.Succeeded)
        {
            await stderr.WriteLineAsync(Describe(full, result.Error ?? "the script failed"));
            return Failed;
        }
        var returned = result.Outputs.LastOrDefault(o => o.Kind == KernelOutputKind.ReturnValue);
        return returned is null ? 0 : ExitCode(returned);
    }

    // An int return value is the exit code; the kernel may give it only as HTML (<pre>42</pre>).
    static int ExitCode(KernelOutput returned)
    {
        var text = returned.Get("text/plain") ?? Tags().Replace(returned.Text, "");
        return int.TryParse(System.Net.WebUtility.HtmlDecode(text).Trim(), out var exit) ? exit : 0;
    }

    [GeneratedRegex(@"<style[\s\S]*?</style>|<[^>]*>")]
    private static partial Regex Tags();

    /// <summary>
    /// Compile errors come back as "(line,col): error CSxxxx: message" relative to the submission,
    /// which is the whole file: prefix the file. Other failures (exceptions) are printed as they are.
    /// </summary>
    static string Describe(string file, string error)
    {
        var lines = error.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        if (lines.All(l => l.Length == 0 || Position().IsMatch(l)))
            return string.Join(
                Environment.NewLine,
                lines.Where(l => l.Length > 0).Select(l => Position().Replace(l, $"{file}:$1:$2: "))
            );
        return $"error: {file}: {error}";
    }

    [GeneratedRegex(@"^\((\d+),(\d+)\):\s*")]
    private static partial Regex Position();
}
