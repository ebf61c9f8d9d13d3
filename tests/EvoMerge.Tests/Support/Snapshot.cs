using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Xunit.Sdk;

namespace EvoMerge.Tests.Support;

/// <summary>
/// A small snapshot helper that follows Verify's conventions exactly, because the Verify core
/// package cannot be restored from this registry (see README): <c>&lt;Class&gt;.&lt;Method&gt;.verified.txt</c>
/// is committed in <c>tests/EvoMerge.Tests/Snapshots/</c>; on a mismatch or a missing snapshot the
/// actual text is written beside it as <c>.received.txt</c> (git-ignored) and the test fails.
/// <c>EVOMERGE_AUTOVERIFY=1</c> accepts the received text instead (never set it in CI).
/// Round numbers before verifying (<see cref="Num(double, int)"/>) so CPU, GPU and platforms agree.
/// Moving to Verify.Xunit is a package swap: <c>await Verify(text)</c> writes the same file names.
/// </summary>
public static class Snapshot
{
    /// <summary>Compares <paramref name="actual"/> with the committed snapshot of the calling test.</summary>
    /// <param name="actual">The text to verify (line endings are normalized to \n).</param>
    /// <param name="parameters">Optional suffix for parameterized tests (Verify's UseParameters).</param>
    public static void Verify(
        string actual,
        string? parameters = null,
        [CallerFilePath] string callerFile = "",
        [CallerMemberName] string method = ""
    )
    {
        var className = Path.GetFileNameWithoutExtension(callerFile);
        var name = parameters is null
            ? $"{className}.{method}"
            : $"{className}.{method}_{parameters}";
        var folder = Path.Combine(ProjectDirectory(callerFile), "Snapshots");
        var verified = Path.Combine(folder, name + ".verified.txt");
        var received = Path.Combine(folder, name + ".received.txt");
        var text = Normalize(actual);

        if (File.Exists(verified) && Normalize(File.ReadAllText(verified, Encoding.UTF8)) == text)
        {
            if (File.Exists(received))
                File.Delete(received);
            return;
        }
        Directory.CreateDirectory(folder);
        if (Environment.GetEnvironmentVariable("EVOMERGE_AUTOVERIFY") == "1" && !IsCi)
        {
            File.WriteAllText(verified, text, new UTF8Encoding(false));
            return;
        }
        File.WriteAllText(received, text, new UTF8Encoding(false));
        var reason = File.Exists(verified) ? "differs from" : "has no";
        var diff = File.Exists(verified)
            ? Diff(Normalize(File.ReadAllText(verified, Encoding.UTF8)), text)
            : "";
        throw new XunitException(
            $"Snapshot {name} {reason} a verified file.\n  received: {received}\n  verified: {verified}\n"
                + diff
                + "Compare them; if the received text is right, rename it to .verified.txt (or rerun with EVOMERGE_AUTOVERIFY=1) and commit it."
        );
    }

    /// <summary>A number in invariant culture with fixed digits, so snapshots agree across devices.</summary>
    public static string Num(double value, int digits = 6)
    {
        var rounded = Math.Round(value, digits, MidpointRounding.AwayFromZero);
        if (rounded == 0)
            rounded = 0; // no "-0"
        return rounded.ToString("F" + digits, CultureInfo.InvariantCulture);
    }

    /// <summary>The lines only in the verified text (<c>-</c>) and only in the received text (<c>+</c>), in order, at most 40.</summary>
    static string Diff(string verified, string received)
    {
        var before = verified.Split('\n');
        var after = received.Split('\n');
        var lines = before
            .Except(after)
            .Select(l => "  - " + l)
            .Concat(after.Except(before).Select(l => "  + " + l))
            .Take(40)
            .ToArray();
        return lines.Length == 0 ? "" : string.Join("\n", lines) + "\n";
    }

    static bool IsCi =>
        string.Equals(
            Environment.GetEnvironmentVariable("CI"),
            "true",
            StringComparison.OrdinalIgnoreCase
        );

    static string Normalize(string text) => text.Replace("\r\n", "\n").TrimEnd('\n') + "\n";

    static string ProjectDirectory(string callerFile)
    {
        var dir = Path.GetDirectoryName(callerFile);
        while (dir is not null && !File.Exists(Path.Combine(dir, "EvoMerge.Tests.csproj")))
            dir = Path.GetDirectoryName(dir);
        return dir
            ?? throw new InvalidOperationException($"No EvoMerge.Tests.csproj above {callerFile}");
    }
}
