namespace EvoMerge.Evaluation;

/// <summary>A task file that cannot be read: names the file, the line (when one is at fault) and the problem.</summary>
public sealed class TaskFileException : Exception
{
    /// <summary>Creates the exception; the message reads <c>path:line: problem</c>.</summary>
    public TaskFileException(string path, int? line, string problem, Exception? inner = null)
        : base(line is null ? $"{path}: {problem}" : $"{path}:{line}: {problem}", inner)
    {
        FilePath = path;
        Line = line;
        Problem = problem;
    }

    /// <summary>The file.</summary>
    public string FilePath { get; }

    /// <summary>The 1-based line at fault, or null when the file as a whole is.</summary>
    public int? Line { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }
}
