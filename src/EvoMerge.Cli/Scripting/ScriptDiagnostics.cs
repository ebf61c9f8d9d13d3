using Microsoft.CodeAnalysis;

namespace EvoMerge.Cli.Scripting;

/// <summary>Formats compiler diagnostics as <c>file:line:col: error CSxxxx: message</c>, the form editors link.</summary>
public static class ScriptDiagnostics
{
    /// <summary>One diagnostic; the file is the real .csx (or #load-ed file) it came from.</summary>
    public static string Format(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        var where = span.IsValid
            ? $"{DisplayPath(span.Path)}:{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}: "
            : "";
        var severity = diagnostic.Severity.ToString().ToLowerInvariant();
        return $"{where}{severity} {diagnostic.Id}: {Message(diagnostic)}";
    }

    /// <summary>The errors of a compilation, formatted, in source order.</summary>
    public static IReadOnlyList<string> Errors(IEnumerable<Diagnostic> diagnostics) =>
        diagnostics
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(Format)
            .Distinct()
            .ToArray();

    static string Message(Diagnostic diagnostic)
    {
        var message = diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        // CS0006 "Metadata file 'nuget: X, 1.0' could not be found": say why, and what is possible.
        if (diagnostic.Id == "CS0006")
        {
            var start = message.IndexOf('\'');
            var end = message.LastIndexOf('\'');
            var reference = start >= 0 && end > start ? message[(start + 1)..end] : "";
            if (
                reference.StartsWith(
                    ScriptMetadataResolver.NuGetPrefix,
                    StringComparison.OrdinalIgnoreCase
                )
            )
                return $"NuGet package '{ScriptMetadataResolver.PackageId(reference)}' is not available: "
                    + "EvoMerge scripts can only reference packages the host already loads ("
                    + string.Join(", ", HostAssemblies.PackageIds.Order(StringComparer.Ordinal))
                    + ").";
        }
        return message;
    }

    static string DisplayPath(string path)
    {
        if (string.IsNullOrEmpty(path) || !Path.IsPathRooted(path))
            return path;
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
