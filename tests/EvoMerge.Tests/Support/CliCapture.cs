using EvoMerge.Cli;

namespace EvoMerge.Tests.Support;

/// <summary>
/// Runs the real CLI in-process with <see cref="Console.Error"/> captured: the one helper for tests
/// that read what a command printed (their classes are in <see cref="ConsoleCaptureCollection"/>).
/// </summary>
public static class CliCapture
{
    /// <summary>The exit code and everything written to stderr.</summary>
    public static async Task<(int Code, string Err)> Run(params string[] args)
    {
        var error = new StringWriter();
        var original = Console.Error;
        Console.SetError(error);
        try
        {
            return (await EvoMergeCli.RunAsync(args), error.ToString());
        }
        finally
        {
            Console.SetError(original);
        }
    }
}
