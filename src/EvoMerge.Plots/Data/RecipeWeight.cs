namespace EvoMerge.Plots;

/// <summary>One merge parameter cell of a recipe: a source model's weight and density in a layer group.</summary>
/// <param name="Source">Source model name.</param>
/// <param name="Group">Layer group, e.g. "layers 0-7".</param>
/// <param name="Weight">Merge weight of the source in this group.</param>
/// <param name="Density">Fraction of the task vector kept (1 = dense).</param>
public sealed record RecipeWeight(string Source, string Group, double Weight, double Density);
