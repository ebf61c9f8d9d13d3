using EvoMerge.Checkpoints.Config;
using EvoMerge.Common;
using EvoMerge.Evolution.Genomes;
using EvoMerge.Evolution.Runs;
using EvoMerge.Recipes;

namespace EvoMerge.Evolution.Candidates;

/// <summary>Builds the genome space a config asks for from the config and the models' config.json only.</summary>
public static class GenomeSpaces
{
    /// <summary>The name model A takes in a PS+DFS path (the PS recipe merged in memory).</summary>
    public const string MergedModelA = "model-a";

    public static IGenomeSpace Create(ExperimentConfig config) =>
        config.Mode switch
        {
            SearchMode.Ps or SearchMode.Nsga2 => Ps(config),
            SearchMode.Dfs or SearchMode.PsDfs => Dfs(config),
            _ => throw new ArgumentOutOfRangeException(nameof(config)),
        };

    static PsGenomeSpace Ps(ExperimentConfig config)
    {
        string[] folders = [config.BaseModel!, .. config.Sources];
        var names = ModelNames.From(folders);
        return new PsGenomeSpace(
            new PsSpace(names[0], names.Skip(1).ToValueArray(), config.LayerGroups, config.Method),
            folders.ToValueArray(),
            config.Mode
        );
    }

    static DfsGenomeSpace Dfs(ExperimentConfig config)
    {
        var folderA = config.Mode == SearchMode.PsDfs ? ModelAArchitecture(config) : config.ModelA!;
        var names = ModelNames.From([
            config.Mode == SearchMode.PsDfs ? MergedModelA : folderA,
            config.ModelB!,
        ]);
        return new DfsGenomeSpace(
            new DfsSpace(
                names[0],
                HfConfig.Load(folderA).NumHiddenLayers,
                names[1],
                HfConfig.Load(config.ModelB!).NumHiddenLayers,
                config.Repeats,
                config.EvolveScales
            ),
            config.InitialOff,
            config.Mode
        );
    }

    /// <summary>PS+DFS: the folder whose architecture (config.json, tokenizer) the merged model A has: the recipe's base model, or its first model.</summary>
    public static string ModelAArchitecture(ExperimentConfig config)
    {
        var document = RecipeYaml.Load(config.ModelA!);
        var recipe = document.Recipe;
        return document.ResolveModel(recipe.BaseModel ?? recipe.Models[0].Model);
    }
}
