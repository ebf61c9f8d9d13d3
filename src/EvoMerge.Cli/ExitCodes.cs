using System.CommandLine;
using System.Text.Json;
using EvoMerge.Checkpoints.Config;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Cluster;
using EvoMerge.Evaluation;
using EvoMerge.Evolution.Runs;
using EvoMerge.Recipes;

namespace EvoMerge.Cli;

/// <summary>
/// Exit codes shared by every command: 0 success, 1 an unexpected failure, 2 bad input (a file,
/// recipe, config or argument at fault), and the one way a failure is reported: one
/// <c>error:</c> line on stderr.
/// </summary>
public static class ExitCodes
{
    /// <summary>An unexpected failure (a bug or the environment).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: the message names the file and the problem.</summary>
    public const int BadInput = 2;

    /// <summary>
    /// The code for an exception that reached the boundary: <see cref="BadInput"/> for the
    /// exceptions that name a file, an argument or a refused operation (a run that exists without
    /// --resume or --force, CUDA asked for and not available), <see cref="Failure"/> otherwise.
    /// </summary>
    public static int For(Exception e) =>
        e
            is RecipeException
                or SafetensorsException
                or OutputFolderException
                or HfConfigException
                or TokenizerLoadException
                or ExperimentConfigException
                or TaskFileException
                or TestSplitForFitnessException
                or ClusterException
                or JsonException
                or IOException
                or UnauthorizedAccessException
                or ArgumentException
                or FormatException
                or InvalidOperationException
            ? BadInput
            : Failure;

    /// <summary>One line: <c>error: message</c> (with the inner exception's message, or the missing file's name, when it adds to it).</summary>
    public static string Describe(Exception e)
    {
        var message = e.Message.ReplaceLineEndings(" ");
        if (
            e is FileNotFoundException { FileName: { } file }
            && !message.Contains(file, StringComparison.Ordinal)
        )
            message = $"{file}: {message}";
        if (
            e.InnerException is { } inner
            && !message.Contains(inner.Message, StringComparison.Ordinal)
        )
            message += $" ({inner.Message.ReplaceLineEndings(" ")})";
        return $"error: {message}";
    }

    /// <summary>
    /// The error boundary every command's handler runs in: bad input (<see cref="For"/>) becomes
    /// one <see cref="Describe"/> line on <paramref name="error"/> and <see cref="BadInput"/> (the
    /// stack trace only when <paramref name="verbose"/>); anything else goes on to
    /// <see cref="EvoMergeCli.RunAsync"/>, which reports it the same way with <see cref="Failure"/>.
    /// </summary>
    public static int Guard(TextWriter error, bool verbose, Func<int> handler)
    {
        try
        {
            return handler();
        }
        catch (Exception e) when (For(e) == BadInput)
        {
            Report(error, verbose, e);
            return BadInput;
        }
    }

    /// <summary><see cref="Guard(TextWriter, bool, Func{int})"/> for a parsed command (its stderr, and the root's --verbose).</summary>
    public static int Guard(ParseResult parse, Func<int> handler) =>
        Guard(parse.InvocationConfiguration.Error, Verbose(parse), handler);

    /// <summary><see cref="Guard(ParseResult, Func{int})"/> for an asynchronous handler.</summary>
    public static async Task<int> GuardAsync(ParseResult parse, Func<Task<int>> handler)
    {
        try
        {
            return await handler();
        }
        catch (Exception e) when (For(e) == BadInput)
        {
            Report(parse.InvocationConfiguration.Error, Verbose(parse), e);
            return BadInput;
        }
    }

    /// <summary>Writes the <c>error:</c> line, and the stack trace when <paramref name="verbose"/>.</summary>
    internal static void Report(TextWriter error, bool verbose, Exception e)
    {
        error.WriteLine(Describe(e));
        if (verbose)
            error.WriteLine(e.ToString());
    }

    /// <summary>The root's --verbose (false for a command parsed on its own, as tests do).</summary>
    static bool Verbose(ParseResult parse) =>
        parse.GetResult(EvoMergeCli.Verbose) is { } result && result.GetValueOrDefault<bool>();
}
