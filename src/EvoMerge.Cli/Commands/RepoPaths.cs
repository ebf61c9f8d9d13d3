namespace EvoMerge.Cli.Commands;

/// <summary>Finds repository files (data/, the default config) from the working directory or the executable's folder.</summary>
internal static class RepoPaths
{
    public static string Find(string relative)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate) || Directory.Exists(candidate))
                    return candidate;
            }
        }
        throw new FileNotFoundException(
            $"{relative} not found above {Environment.CurrentDirectory}: run from the repository (or pass a config)"
        );
    }
}
