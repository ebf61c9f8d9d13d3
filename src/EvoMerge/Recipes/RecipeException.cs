namespace EvoMerge.Recipes;

/// <summary>A merge recipe is malformed or cannot be executed. The message names the YAML file (when known) and the problem.</summary>
public sealed class RecipeException : Exception
{
    /// <summary>Creates the error; <paramref name="file"/> is the recipe's YAML path, or a label such as "&lt;in-memory recipe&gt;".</summary>
    public RecipeException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The recipe file at fault.</summary>
    public string File { get; }

    /// <summary>What is wrong.</summary>
    public string Problem { get; }
}
