using System.Reflection;
using System.Text;

namespace EvoMerge.Cli.Scripting;

/// <summary>Describes an exception thrown by script code: type, message and the stack frames that matter.</summary>
public static class ScriptErrors
{
    /// <summary>"Type: message" then the stack without the scripting engine's own frames, then inner exceptions.</summary>
    public static string Describe(Exception exception)
    {
        while (exception is TargetInvocationException { InnerException: { } inner })
            exception = inner;
        var text = new StringBuilder();
        text.Append(exception.GetType().FullName).Append(": ").Append(exception.Message);
        foreach (var frame in StackLines(exception))
            text.Append('\n').Append(frame);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
            text.Append("\n ---> ")
                .Append(inner.GetType().FullName)
                .Append(": ")
                .Append(inner.Message);
        return text.ToString();
    }

    /// <summary>The stack trace lines, without Roslyn's script-running frames.</summary>
    public static IEnumerable<string> StackLines(Exception exception) =>
        (exception.StackTrace ?? "")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.TrimEnd('\r'))
            .Where(l =>
                !l.Contains("Microsoft.CodeAnalysis.Scripting", StringComparison.Ordinal)
                && !l.Contains("System.Runtime.CompilerServices", StringComparison.Ordinal)
                && !l.Contains("--- End of stack trace", StringComparison.Ordinal)
            );
}
