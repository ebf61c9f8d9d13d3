using System.Runtime.CompilerServices;

namespace EvoMerge.Tests.Support;

/// <summary>Paths into <c>tests/fixtures</c> (reference data made by transformers, tokenizers and mergekit).</summary>
public static class Fixtures
{
    static readonly string Root = FindRoot();

    /// <summary>The absolute path of <paramref name="relative"/> under tests/fixtures.</summary>
    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    /// <summary>The repository root (the folder holding EvoMerge.Notebooks.sln).</summary>
    public static string RepoRoot =>
        System.IO.Path.GetFullPath(System.IO.Path.Combine(Root, "..", ".."));

    static string FindRoot([CallerFilePath] string here = "")
    {
        var dir = System.IO.Path.GetDirectoryName(here);
        while (
            dir is not null && !Directory.Exists(System.IO.Path.Combine(dir, "tests", "fixtures"))
        )
            dir = System.IO.Path.GetDirectoryName(dir);
        return dir is null
            ? throw new InvalidOperationException("tests/fixtures not found above " + here)
            : System.IO.Path.Combine(dir, "tests", "fixtures");
    }
}
