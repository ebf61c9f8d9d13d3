using EvoMerge.Evolution.Genomes;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Evolution;

public class PsSpaceTests
{
    static readonly PsSpace PerModel = new(
        "base",
        EvoMerge.Common.ValueArray.Of("ja", "math-a", "math-b")
    );

    [Fact]
    public void Decoded_recipe_is_mergekit_yaml()
    {
        // Evolved weights are not normalized to sum to 1 (the paper's summed to about 2); densities clamp to [0.01, 1].
        var recipe = PerModel.Decode([0.95, 0.9, 0.0, 0.6, 0.4, 0.55]);
        Snapshot.Verify(RecipeYaml.Write(recipe));
        Assert.Equal(recipe, RecipeYaml.Parse(RecipeYaml.Write(recipe)));
    }

    [Fact]
    public void Layer_groups_decode_to_gradients_over_depth()
    {
        var space = PerModel with { LayerGroups = 3 };
        Assert.Equal(18, space.Dimension);
        Assert.Equal("math-a.weight[2]", space.GeneNames()[2 * (3 + 2) + 1]);
        var genome = Enumerable.Range(0, space.Dimension).Select(i => i / 20.0).ToArray();
        Snapshot.Verify(RecipeYaml.Write(space.Decode(genome)));
    }

    [Fact]
    public void Paper_start_and_untuned_baseline()
    {
        Assert.All(PerModel.InitialGenome(), g => Assert.Equal(0.5, g));
        var uniform = PerModel.Uniform();
        Assert.All(
            uniform.Models,
            m => Assert.Equal(ParameterValue.Of(0.5), m.Parameters["density"])
        );
        Assert.Throws<ArgumentException>(() =>
            PerModel.Decode([0.5, double.NaN, 0.5, 0.5, 0.5, 0.5])
        );
        Assert.Throws<ArgumentException>(() => PerModel.Decode([0.5]));
    }
}
