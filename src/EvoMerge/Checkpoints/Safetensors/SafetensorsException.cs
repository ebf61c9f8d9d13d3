namespace EvoMerge.Checkpoints.Safetensors;

/// <summary>A checkpoint file is malformed or refused. The message names the file, the tensor (if any) and the problem.</summary>
public sealed class SafetensorsException : Exception
{
    public SafetensorsException(string file, string? tensor, string problem)
        : base(tensor is null ? $"{file}: {problem}" : $"{file}: tensor '{tensor}': {problem}")
    {
        File = file;
        Tensor = tensor;
        Problem = problem;
    }

    /// <summary>The file that is at fault.</summary>
    public string File { get; }

    /// <summary>The tensor at fault, when one is.</summary>
    public string? Tensor { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
