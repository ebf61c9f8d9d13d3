using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Evolution;

/// <summary>
/// The pure seam: PS, DFS and PS+DFS spaces built from the config and the models' config.json only.
/// The models' folders here hold config.json and nothing else, so loading a weight would fail.
/// </summary>
public sealed class GenomeSpacesTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-spaces-").FullName;

    public GenomeSpacesTests()
    {
        foreach (var model in new[] { "base", "model_a", "model_b" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, "zoo", model));
            File.Copy(
                Fixtures.Path($"merges/llama-family/{model}/config.json"),
                Path.Combine(_dir, "zoo", model, "config.json")
            );
        }
        Directory.CreateDirectory(Path.Combine(_dir, "tasks"));
        File.WriteAllText(
            Path.Combine(_dir, "tasks", "t_train.jsonl"),
            "{\"question\": \"1+1\", \"answer\": \"2\"}\n"
        );
        File.WriteAllText(
            Path.Combine(_dir, "best.yaml"),
            "merge_method: dare_ties\nbase_model: zoo/base\nmodels:\n  - model: zoo/model_a\n    parameters: {density: 0.5, weight: 0.7}\n"
        );
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    ExperimentConfig Config(string body)
    {
        var file = Path.Combine(_dir, "x.yaml");
        File.WriteAllText(
            file,
            body
                + "\nfitness:\n  - task: tasks/t_train.jsonl\n    prompt: \"{question}\"\n    metric: exact-match\n"
        );
        return ExperimentConfigLoader.Load(file);
    }

    [Fact]
    public void Ps_genome_decodes_to_a_recipe_over_the_folders_without_weights()
    {
        var config = Config(
            "name: ps\nmode: ps\nbase_model: zoo/base\nsources: [zoo/model_a, zoo/model_b]\n"
        );
        var space = Assert.IsType<PsGenomeSpace>(GenomeSpaces.Create(config));
        Assert.Equal(4, space.Dimension);
        Assert.Equal("best.yaml", space.BestFileName);
        var phenotype = Assert.IsType<MergePhenotype>(space.Decode([0.3, 0.9, 0.0, 0.4]));
        Assert.Equal("dare_ties", phenotype.Recipe.Method);
        Assert.Equal(["model_a", "model_b"], phenotype.Recipe.Models.Select(m => m.Model));
        // The text names folders, so `evomerge merge` or mergekit can run it as is.
        var text = RecipeYaml.Parse(phenotype.Text);
        Assert.Equal(Path.Combine(_dir, "zoo", "base"), text.BaseModel);
        Assert.Equal(ParameterValue.Of(0.01), text.Models[1].Parameters["density"]); // clamped
    }

    [Fact]
    public void Dfs_genome_decodes_to_a_path_with_layer_counts_from_config_json()
    {
        var config = Config(
            "name: dfs\nmode: dfs\nmodel_a: zoo/model_a\nmodel_b: zoo/model_b\nrepeats: 2\n"
        );
        var space = Assert.IsType<DfsGenomeSpace>(GenomeSpaces.Create(config));
        Assert.Equal(4, space.Space.LayersA); // num_hidden_layers of the fixture's config.json
        Assert.Equal(16 + 64, space.Dimension);
        var genome = space.InitialGenome.ToArray();
        genome[4 + 2] = 1; // slot 6: model B's layer 2
        var path = Assert.IsType<PathPhenotype>(space.Decode(genome)).Path;
        Assert.Equal(
            ["model_a:0", "model_a:1", "model_a:2", "model_b:2", "model_a:3"],
            path.Steps.Select(s => $"{s.Model}:{s.Layer}")
        );
        Assert.Null(space.Bounds);
    }

    [Fact]
    public void Ps_dfs_genome_decodes_to_a_path_through_the_recipes_model_a()
    {
        var config = Config(
            "name: psdfs\nmode: ps+dfs\nmodel_a: best.yaml\nmodel_b: zoo/model_b\nrepeats: 1\nevolve_scales: false\n"
        );
        var space = Assert.IsType<DfsGenomeSpace>(GenomeSpaces.Create(config));
        Assert.Equal(SearchMode.PsDfs, space.Mode);
        Assert.Equal(GenomeSpaces.MergedModelA, space.Space.ModelA);
        Assert.Equal(8, space.Dimension); // (4 + 4) slots, no scales
        var path = Assert.IsType<PathPhenotype>(space.Decode(space.InitialGenome)).Path;
        Assert.All(path.Steps, s => Assert.Equal("model-a", s.Model));
        Assert.Equal(4, path.Length);
    }
}
