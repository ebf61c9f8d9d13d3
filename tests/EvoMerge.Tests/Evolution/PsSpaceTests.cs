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

public class PsSpaceAnyMethodTests
{
    static readonly PsSpace Space = new("base", EvoMerge.Common.ValueArray.Of("ja", "math-a"));

    [Theory]
    [InlineData("ties", "ja.density ja.weight math-a.density math-a.weight")]
    [InlineData("task_arithmetic", "ja.weight math-a.weight")]
    [InlineData(
        "della",
        "ja.density ja.weight ja.epsilon math-a.density math-a.weight math-a.epsilon"
    )]
    [InlineData(
        "breadcrumbs_ties",
        "ja.density ja.weight ja.gamma math-a.density math-a.weight math-a.gamma"
    )]
    [InlineData("sce", "select_topk")]
    [InlineData("ram", "epsilon")]
    [InlineData("ramplus_tl", "epsilon r alpha")]
    [InlineData("linear", "ja.weight math-a.weight")]
    [InlineData("multislerp", "ja.weight math-a.weight")]
    [InlineData("slerp", "t")]
    [InlineData("nearswap", "t")]
    public void Each_method_evolves_its_own_parameters(string method, string genes)
    {
        var space = Space with { Method = method };
        Assert.Equal(genes, string.Join(" ", space.GeneNames()));
        Assert.Equal(space.Dimension, space.GeneNames().Count);
        var recipe = space.Decode(space.InitialGenome());
        Assert.Equal(method, recipe.Method);
        // Decoded recipes stay mergekit YAML.
        Assert.Equal(recipe, RecipeYaml.Parse(RecipeYaml.Write(recipe)));
        var named = recipe
            .Models.SelectMany(m => m.Parameters.Entries.Select(e => $"{m.Model}.{e.Name}"))
            .Concat(recipe.Parameters.Entries.Select(e => e.Name))
            .Where(n => n != "normalize");
        Assert.Equal(space.GeneNames().Order(), named.Order());
    }

    [Fact]
    public void Global_parameters_get_one_gene_per_layer_group()
    {
        var space = Space with { Method = "sce", LayerGroups = 3 };
        Assert.Equal(["select_topk[0]", "select_topk[1]", "select_topk[2]"], space.GeneNames());
        var recipe = space.Decode([0.0, 0.5, 1.0]);
        Assert.Equal(ParameterValue.Gradient(0.01, 0.5, 1.0), recipe.Parameters["select_topk"]);
        Assert.Null(recipe.Parameters["normalize"]);
    }

    [Fact]
    public void Della_epsilon_keeps_density_plus_minus_epsilon_inside_0_1()
    {
        var space = Space with { Method = "della", LayerGroups = 2 };
        var random = new Random(3);
        for (int trial = 0; trial < 500; trial++)
        {
            var genome = Enumerable
                .Range(0, space.Dimension)
                .Select(_ => random.NextDouble())
                .ToArray();
            foreach (var model in space.Decode(genome).Models)
            {
                var d = ((GradientValue)model.Parameters["density"]!).Anchors;
                var e = ((GradientValue)model.Parameters["epsilon"]!).Anchors;
                for (int g = 0; g < 2; g++)
                    Assert.True(
                        d[g] >= 1 || (d[g] - e[g] > 0 && d[g] + e[g] < 1),
                        $"{d[g]} ± {e[g]}"
                    );
            }
        }
    }

    [Fact]
    public void Ram_thresholds_span_decades()
    {
        var space = Space with { Method = "ram" };
        Assert.Equal(ParameterValue.Of(1e-6), space.Decode([0.0]).Parameters["epsilon"]);
        Assert.Equal(ParameterValue.Of(1e-4), space.Decode([0.5]).Parameters["epsilon"]);
        Assert.Equal(ParameterValue.Of(1e-2), space.Decode([1.0]).Parameters["epsilon"]);
    }

    [Theory]
    [InlineData("karcher", "no parameter to evolve")]
    [InlineData("arcee_fusion", "no parameter to evolve")]
    [InlineData("model_stock", "no parameter to evolve")]
    [InlineData("passthrough", "no parameter to evolve")]
    [InlineData("dare_tie", "unknown merge method 'dare_tie'")]
    public void Methods_without_tunable_parameters_are_refused_with_the_reason(
        string method,
        string reason
    )
    {
        var error = Assert.Throws<ArgumentException>(() =>
            (Space with { Method = method }).Dimension
        );
        Assert.Contains(reason, error.Message);
        Assert.Contains(reason, PsGene.Refusal(method));
    }
}
