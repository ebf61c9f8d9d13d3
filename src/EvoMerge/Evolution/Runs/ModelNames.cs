namespace EvoMerge.Evolution.Runs;

/// <summary>Short, unique model names from folder names (ja, math-a, ...), used in recipes and paths.</summary>
public static class ModelNames
{
    public static IReadOnlyList<string> From(IReadOnlyList<string> folders)
    {
        var names = new List<string>();
        foreach (var folder in folders)
        {
            var name = Path.GetFileName(Path.TrimEndingDirectorySeparator(folder));
            var unique = name;
            for (int i = 2; names.Contains(unique); i++)
                unique = $"{name}-{i}";
            names.Add(unique);
        }
        return names;
    }
}
