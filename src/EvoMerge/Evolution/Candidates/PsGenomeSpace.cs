using EvoMerge.Common;
using EvoMerge.Evolution.Genomes;
using EvoMerge.Evolution.Optimizers;
using EvoMerge.Evolution.Runs;
using EvoMerge.Recipes;

namespace EvoMerge.Evolution.Candidates;

/// <summary>PS (and NSGA-II): genes in [0, 1] decode to a task-arithmetic recipe over the sources.</summary>
/// <param name="Space">The genome layout and decoder.</param>
/// <param name="Folders">The folder of each model name (base first, then the sources), for the recipe's text.</param>
/// <param name="Mode">Ps or Nsga2.</param>
public sealed record PsGenomeSpace(PsSpace Space, ValueArray<string> Folders, SearchMode Mode)
    : IGenomeSpace
{
    public int Dimension => Space.Dimension;

    public IReadOnlyList<double> InitialGenome => Space.InitialGenome();

    public BoxBounds? Bounds => BoxBounds.Uniform(Dimension, 0, 1);

    public string BestFileName => "best.yaml";

    public Phenotype Decode(IReadOnlyList<double> genome)
    {
        var recipe = Space.Decode(genome);
        return new MergePhenotype(recipe, RecipeYaml.Write(WithFolders(recipe)));
    }

    /// <summary>The recipe with model names replaced by their folders (so mergekit or `evomerge merge` can run it).</summary>
    public MergeRecipe WithFolders(MergeRecipe recipe) =>
        recipe with
        {
            BaseModel = recipe.BaseModel is null ? null : FolderOf(recipe.BaseModel),
            Models = recipe.Models.Select(m => m with { Model = FolderOf(m.Model) }).ToValueArray(),
        };

    /// <summary>Names in model order: base, then sources.</summary>
    public IReadOnlyList<string> Names => [Space.BaseModel, .. Space.Sources];

    string FolderOf(string name) => Folders[Names.ToList().IndexOf(name)];
}
