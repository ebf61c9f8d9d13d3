namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>
/// A tokenizer file is missing, unreadable or holds something this loader cannot use.
/// <see cref="Exception.Message"/> names the file and the problem.
/// </summary>
public sealed class TokenizerLoadException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> with a description of the problem.</summary>
    public TokenizerLoadException(string path, string problem, Exception? inner = null)
        : base($"{path}: {problem}", inner)
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>The file (or folder) that could not be used.</summary>
    public string Path { get; }

    /// <summary>What was wrong with it.</summary>
    public string Problem { get; }
}
