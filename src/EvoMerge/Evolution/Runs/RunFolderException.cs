namespace EvoMerge.Evolution.Runs;

/// <summary>A run folder is damaged and cannot be resumed exactly. The message names the file and what is wrong.</summary>
public sealed class RunFolderException(string file, string problem)
    : InvalidOperationException($"{file}: {problem}")
{
    /// <summary>The file at fault.</summary>
    public string File { get; } = file;
}
