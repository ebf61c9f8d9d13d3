namespace EvoMerge.Checkpoints.Config;

/// <summary>A Hugging Face <c>config.json</c> is missing, malformed or describes something unsupported. The message names the file.</summary>
public sealed class HfConfigException : Exception
{
    public HfConfigException(string file, string problem)
        : base($"{file}: {problem}")
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The file at fault.</summary>
    public string File { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
