using System.Collections.Concurrent;

namespace EvoMerge.Tests.Tokenizers;

/// <summary>
/// Fresh folders for tests that write files, under one root in the system temp folder. They are
/// removed at process exit where the test host allows it; folders left by earlier runs are
/// removed once they are an hour old.
/// </summary>
internal static class TempDir
{
    static readonly string Root = Path.Combine(Path.GetTempPath(), "evomerge-tests-tokenizers");
    static readonly ConcurrentBag<string> Created = new();

    static TempDir()
    {
        Directory.CreateDirectory(Root);
        foreach (var stale in Directory.GetDirectories(Root))
            if (Directory.GetCreationTimeUtc(stale) < DateTime.UtcNow.AddHours(-1))
                TryDelete(stale);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var dir in Created)
                TryDelete(dir);
        };
    }

    public static string Create()
    {
        var dir = Path.Combine(Root, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        Created.Add(dir);
        return dir;
    }

    static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
