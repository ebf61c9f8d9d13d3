using EvoMerge.Common;

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

    /// <summary>
    /// Names resolved before paths (a model map such as <c>--model-map</c> for Hugging Face names, and the
    /// outputs of earlier stages of a multi-stage file): name → absolute folder. Null: none.
    /// </summary>
    public ValueMap<string, string>? ModelFolders { get; init; }

    /// <summary>The absolute folder of a model named in the recipe: a mapped name first, else a path relative to the recipe.</summary>
    public string ResolveModel(string model) =>
        ModelFolders is not null && ModelFolders.TryGetValue(model, out var mapped)
            ? mapped
            : Path.GetFullPath(Path.IsPathRooted(model) ? model : Path.Combine(Directory, model));

    /// <summary>True when <paramref name="model"/> is resolved through <see cref="ModelFolders"/>.</summary>
    public bool IsMapped(string model) => ModelFolders?.ContainsKey(model) == true;
}
