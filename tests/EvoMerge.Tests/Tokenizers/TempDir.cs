namespace EvoMerge.Tests.Tokenizers;

/// <summary>Fresh folders under the system temp folder for tests that write files.</summary>
internal static class TempDir
{
    public static string Create()
    {
        var dir = Path.Combine(Path.GetTempPath(), "evomerge-tok-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
