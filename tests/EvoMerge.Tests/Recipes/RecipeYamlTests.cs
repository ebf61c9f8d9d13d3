using EvoMerge.Common;
using EvoMerge.Merging;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Recipes;

/// <summary>mergekit YAML in and out: write → read is the identity; parameter values resolve like mergekit's.</summary>
public sealed class RecipeYamlTests
{
    static MergeRecipe TiesWithGradientsAndFilters() =>
        MergeRecipe.ForModels(
            "ties",
            "models/base",
            [
                new RecipeModel(
                    "models/math",
                    ParameterMap.Of(
                        ("weight", ParameterValue.Gradient(0, 0.5, 1)),
                        (
                            "density",
                            new FilterListValue(
                                ValueArray.Of(
                                    new FilterRule("self_attn", ParameterValue.Of(0.5)),
                                    new FilterRule("mlp", ParameterValue.Gradient(0.2, 0.8)),
                                    new FilterRule(null, ParameterValue.Of(0.7))
                                )
                            )
                        )
                    )
                ),
                new RecipeModel(
                    "/abs/path/japanese",
                    ParameterMap.Of(
                        ("weight", ParameterValue.Of(0.3)),
                        ("density", ParameterValue.Of(0.9))
                    )
                ),
            ],
            ParameterMap.Of(
                ("normalize", ParameterValue.Of(true)),
                ("int8_mask", ParameterValue.Of(true)),
                ("lambda", ParameterValue.Of(1.25))
            )
        ) with
        {
            Dtype = "bfloat16",
            OutDtype = "float16",
            TokenizerSource = "models/base",
        };

    static MergeRecipe Frankenmerge() =>
        new(
            "passthrough",
            null,
            ValueArray<RecipeModel>.Empty,
            ValueArray.Of(
                new RecipeSlice(new SliceSource("model_a", new LayerRange(0, 2))),
                new RecipeSlice(
                    ValueArray.Of(
                        new SliceSource(
                            "model_b",
                            new LayerRange(1, 3),
                            ParameterMap.Of(("scale", ParameterValue.Of(0.5)))
                        )
                    ),
                    ParameterMap.Empty
                ),
                new RecipeSlice(new SliceSource("model_a", new LayerRange(2, 4)))
            ),
            ParameterMap.Empty,
            Dtype: "float32"
        );

    static MergeRecipe DareTiesWithTokenizerBlock() =>
        MergeRecipe.ForModels(
            "dare_ties",
            "base",
            [
                new RecipeModel(
                    "a",
                    ParameterMap.Of(
                        ("weight", ParameterValue.Of(0.6)),
                        ("density", ParameterValue.Of(0.45))
                    )
                ),
                new RecipeModel(
                    "b",
                    ParameterMap.Of(
                        ("weight", ParameterValue.Of(-0.2)),
                        ("density", ParameterValue.Of(1))
                    )
                ),
                new RecipeModel("0.5"),
            ],
            ParameterMap.Of(("rescale_mode", new TextValue("l1")))
        ) with
        {
            TokenizerSource = "a",
            TokenizerBlock = true,
        };

    [Fact]
    public void Ties_with_gradients_and_filters_round_trips()
    {
        var recipe = TiesWithGradientsAndFilters();
        var yaml = RecipeYaml.Write(recipe);
        Assert.Equal(recipe, RecipeYaml.Parse(yaml));
        Snapshot.Verify(yaml);
    }

    [Fact]
    public void Frankenmerge_slices_round_trip()
    {
        var recipe = Frankenmerge();
        var yaml = RecipeYaml.Write(recipe);
        Assert.Equal(recipe, RecipeYaml.Parse(yaml));
        Snapshot.Verify(yaml);
    }

    [Fact]
    public void Dare_ties_with_tokenizer_block_round_trips()
    {
        var recipe = DareTiesWithTokenizerBlock();
        var yaml = RecipeYaml.Write(recipe);
        Assert.Equal(recipe, RecipeYaml.Parse(yaml));
        Assert.Contains("\"0.5\"", yaml); // a model named like a number stays text
        Snapshot.Verify(yaml);
    }

    [Fact]
    public void Reads_a_mergekit_file_as_users_write_it()
    {
        const string yaml = """
            models:
              - model: psmathur/orca_mini_v3_13b
                parameters:
                  density: [1, 0.7, 0.1] # density gradient
                  weight: 1.0
              - model: garage-bAInd/Platypus2-13B
                parameters:
                  density: 0.5
                  weight: [0, 0.3, 0.7, 1] # weight gradient
            merge_method: ties
            base_model: TheBloke/Llama-2-13B-fp16
            parameters:
              normalize: true
              int8_mask: true
            dtype: float16
            """;
        var recipe = RecipeYaml.Parse(yaml);
        Assert.Equal("ties", recipe.Method);
        Assert.Equal(ParameterValue.Gradient(1, 0.7, 0.1), recipe.Models[0].Parameters["density"]);
        Assert.Equal(new FlagValue(true), recipe.Parameters["normalize"]);
        Assert.Equal(recipe, RecipeYaml.Parse(RecipeYaml.Write(recipe)));
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(0.25, 0.25)]
    [InlineData(0.5, 0.5)]
    [InlineData(0.8, 0.8)]
    [InlineData(1.0, 1.0)]
    public void Gradient_interpolates_linearly(double t, double expected)
    {
        var value = ParameterValue.Gradient(0, 0.5, 1).Evaluate("x", t);
        Assert.Equal(expected, ((NumberValue)value!).Value, 12);
    }

    [Fact]
    public void Filters_match_substrings_in_order()
    {
        var value = new FilterListValue(
            ValueArray.Of(
                new FilterRule("self_attn", ParameterValue.Of(0.1)),
                new FilterRule(null, ParameterValue.Of(0.9))
            )
        );
        Assert.Equal(
            ParameterValue.Of(0.1),
            value.Evaluate("model.layers.3.self_attn.q_proj.weight", 0)
        );
        Assert.Equal(
            ParameterValue.Of(0.9),
            value.Evaluate("model.layers.3.mlp.up_proj.weight", 0)
        );
        Assert.Null(
            new FilterListValue(
                ValueArray.Of(new FilterRule("mlp", ParameterValue.Of(1)))
            ).Evaluate("lm_head.weight", 1)
        );
    }

    [Fact]
    public void Planner_spreads_a_gradient_over_the_layers_of_a_slice()
    {
        // 4 layers → t = 0, 1/3, 2/3, 1 (mergekit: i / (n − 1)); embeddings t = 0, final norm t = 1.
        var family = Fixtures.Path("merges/llama-family");
        var recipe = MergeRecipe.ForModels(
            "task_arithmetic",
            "base",
            [
                new RecipeModel(
                    "model_a",
                    ParameterMap.Of(("weight", ParameterValue.Gradient(0, 0.3)))
                ),
                new RecipeModel("model_b", ParameterMap.Of(("weight", ParameterValue.Of(1)))),
            ]
        );
        var readers = new[] { "base", "model_a", "model_b" }.ToDictionary(
            m => m,
            m => EvoMerge.Checkpoints.Safetensors.CheckpointReader.Open(Path.Combine(family, m))
        );
        try
        {
            var plan = MergeExecutor.Plan(new RecipeDocument(recipe, "r.yaml", family), readers);
            double WeightOf(string tensor) =>
                ((TaskArithmeticOperation)plan.Tensors.Single(t => t.Name == tensor).Operation)
                    .Terms[0]
                    .Weight;
            Assert.Equal(0, WeightOf("model.embed_tokens.weight"), 12);
            for (int layer = 0; layer < 4; layer++)
                Assert.Equal(
                    0.3 * layer / 3,
                    WeightOf($"model.layers.{layer}.mlp.up_proj.weight"),
                    12
                );
            Assert.Equal(0.3, WeightOf("model.norm.weight"), 12);
            Assert.Equal(4, plan.OutputLayers);
        }
        finally
        {
            foreach (var r in readers.Values)
                r.Dispose();
        }
    }
}
