namespace EvoMerge.Checkpoints.Safetensors;

/// <summary>An output folder may not be written or replaced. The message names the folder and why.</summary>
public sealed class OutputFolderException(string folder, string problem)
    : Exception($"{folder}: {problem}")
{
    /// <summary>The folder at fault.</summary>
    public string Folder { get; } = folder;
}
