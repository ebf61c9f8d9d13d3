namespace EvoMerge.Cli.Commands;

/// <summary>Parses `name=dir,name=dir` lists of model folders.</summary>
internal static class ModelFolders
{
    public static IReadOnlyList<(string Name, string Folder)> Parse(string spec)
    {
        var result = new List<(string, string)>();
        foreach (
            var part in spec.Split(
                ',',
                StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries
            )
        )
        {
            var eq = part.IndexOf('=');
            if (eq <= 0 || eq == part.Length - 1)
                throw new ArgumentException($"--models: expected name=folder, got '{part}'");
            result.Add((part[..eq], part[(eq + 1)..]));
        }
        if (result.Count == 0)
            throw new ArgumentException("--models: no models given");
        if (result.Select(r => r.Item1).Distinct().Count() != result.Count)
            throw new ArgumentException("--models: a name is given twice");
        return result;
    }
}
