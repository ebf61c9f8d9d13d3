using System.Text.Json;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Recipes;

namespace EvoMerge.Cli;

/// <summary>Exit codes shared by every command: 0 success, 1 an unexpected failure, 2 bad input (a file, recipe, config or argument at fault).</summary>
public static class ExitCodes
{
    /// <summary>An unexpected failure (a bug or the environment).</summary>
    public const int Failure = 1;

    /// <summary>Bad input: the message names the file and the problem.</summary>
    public const int BadInput = 2;

    /// <summary>The code for an exception that reached the boundary.</summary>
    public static int For(Exception e) =>
        e
            is RecipeException
                or SafetensorsException
                or OutputFolderException
                or JsonException
                or IOException
                or UnauthorizedAccessException
                or ArgumentException
                or FormatException
            ? BadInput
            : Failure;

    /// <summary>One line: <c>error: message</c> (with the inner exception's message when it adds to it).</summary>
    public static string Describe(Exception e)
    {
        var message = e.Message.ReplaceLineEndings(" ");
        if (
            e.InnerException is { } inner
            && !message.Contains(inner.Message, StringComparison.Ordinal)
        )
            message += $" ({inner.Message.ReplaceLineEndings(" ")})";
        return $"error: {message}";
    }
}
