using EvoMerge.Recipes;
using EvoMerge.Routing;

namespace EvoMerge.Evolution.Candidates;

/// <summary>What a genome decodes to: a merge recipe (PS) or a layer path (DFS, PS+DFS). Records, no tensors.</summary>
public abstract record Phenotype
{
    /// <summary>The phenotype as text for the run folder: mergekit YAML with model folders, or path JSON.</summary>
    public abstract string Text { get; }
}

/// <summary>A merge recipe over the space's model names; <paramref name="Described"/> is its text with the names replaced by folders.</summary>
public sealed record MergePhenotype(MergeRecipe Recipe, string? Described = null) : Phenotype
{
    public override string Text => Described ?? RecipeYaml.Write(Recipe);
}

/// <summary>A path of (model, layer, scale) steps through the loaded models.</summary>
public sealed record PathPhenotype(LayerPath Path) : Phenotype
{
    public override string Text => Path.ToJson();
}

/// <summary>One of the evaluator's models on its own (report rows: each source alone).</summary>
public sealed record ModelPhenotype(string Model) : Phenotype
{
    public override string Text => Model;
}
