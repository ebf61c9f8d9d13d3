namespace EvoMerge.Recipes;

/// <summary>A recipe with the file it came from, so model paths resolve relative to it and errors can name it.</summary>
/// <param name="Recipe">The recipe.</param>
/// <param name="FilePath">The YAML file (absolute), or a label for recipes built in code.</param>
/// <param name="Directory">The folder relative model paths resolve against.</param>
public sealed record RecipeDocument(MergeRecipe Recipe, string FilePath, string Directory)
{
    /// <summary>Wraps a recipe built in code; relative paths resolve against <paramref name="directory"/>.</summary>
    public static RecipeDocument InMemory(MergeRecipe recipe, string? directory = null) =>
        new(recipe, "<in-memory recipe>", directory ?? System.IO.Directory.GetCurrentDirectory());

    /// <summary>The absolute folder of a model named in the recipe.</summary>
    public string ResolveModel(string model) =>
        Path.GetFullPath(Path.IsPathRooted(model) ? model : Path.Combine(Directory, model));
}
