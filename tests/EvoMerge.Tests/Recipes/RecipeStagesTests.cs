using EvoMerge.Merging;
using EvoMerge.Recipes;
using Xunit;

namespace EvoMerge.Tests.Recipes;

/// <summary>Multi-document recipes (mergekit-multi): stage order, name rules, and one clear line for each mistake.</summary>
public sealed class RecipeStagesTests
{
    static RecipeStages Stages(string yaml) =>
        RecipeStages.Create(
            RecipeYaml
                .ParseStages(yaml, "/r/multi.yaml")
                .Select(r => new RecipeDocument(r, "/r/multi.yaml", "/r"))
                .ToList()
        );

    static string Stage(string? name, params string[] models) =>
        (name is null ? "" : $"name: {name}\n")
        + "merge_method: linear\nmodels:\n"
        + string.Concat(models.Select(m => $"  - model: {m}\n    parameters: {{weight: 1}}\n"));

    static string Error(string yaml) => Assert.Throws<RecipeException>(() => Stages(yaml)).Message;

    [Fact]
    public void Stages_run_after_the_stages_they_read_and_otherwise_in_file_order()
    {
        var stages = Stages(
            string.Join(
                "---\n",
                Stage(null, "mid", "x"),
                Stage("mid", "first", "y"),
                Stage("first", "a", "b"),
                Stage("other", "a", "c")
            )
        );
        Assert.Equal(
            ["first", "mid", null, "other"],
            stages.Ordered.Select(d => d.Recipe.Name).ToList()
        );
        Assert.Null(stages.Final!.Recipe.Name);
        Assert.Equal(["mid"], stages.DependenciesOf(stages.Final));
    }

    [Fact]
    public void Mistakes_are_one_line_each()
    {
        Assert.Equal(
            "/r/multi.yaml: the stages form a cycle: 'a' → 'b' → 'a'",
            Error(string.Join("---\n", Stage("a", "b", "x"), Stage("b", "a", "y")))
        );
        Assert.Contains(
            "cycle: 'a' → 'a'",
            Error(string.Join("---\n", Stage("a", "a", "x"), Stage("b", "a", "y")))
        );
        Assert.Equal(
            "/r/multi.yaml: documents 1 and 2 are both named 'a'",
            Error(string.Join("---\n", Stage("a", "x", "y"), Stage("a", "x", "z")))
        );
        Assert.Contains(
            "documents 1, 2 have no 'name'",
            Error(string.Join("---\n", Stage(null, "x", "y"), Stage(null, "x", "z")))
        );
        Assert.Contains(
            "stage name 'a/b' must be a plain folder name",
            Error(string.Join("---\n", Stage("a/b", "x", "y"), Stage(null, "a/b", "z")))
        );
        // A parse error in a later document says which one.
        Assert.Contains(
            "document 2 of 2: unknown key 'merge_methd'",
            Error(Stage("a", "x", "y") + "---\nmerge_methd: linear\n")
        );
    }

    [Fact]
    public void A_model_that_is_neither_a_stage_nor_a_folder_gets_a_did_you_mean()
    {
        // "/" exists, so only the misspelt stage name is missing.
        var stages = Stages(
            string.Join("---\n", Stage("first-merge", "/", "/"), Stage(null, "first-merg", "/"))
        );
        var message = Assert.Throws<RecipeException>(() => StagedMerge.CheckModels(stages)).Message;
        Assert.StartsWith(
            "/r/multi.yaml: stage (final, unnamed): model folder 'first-merg' not found (/r/first-merg)",
            message
        );
        Assert.EndsWith("and it is not a stage of this file; did you mean 'first-merge'?", message);
    }

    [Fact]
    public void Hugging_face_names_without_a_map_point_at_model_map()
    {
        var stages = Stages(Stage(null, "mistralai/Mistral-7B-v0.1", "/"));
        Assert.Contains(
            "map this Hugging Face name to a folder with --model-map",
            Assert.Throws<RecipeException>(() => StagedMerge.CheckModels(stages)).Message
        );
    }

    [Fact]
    public void Names_and_chat_templates_round_trip_through_yaml()
    {
        var yaml = string.Join(
            "---\n",
            Stage("first", "a", "b"),
            "chat_template: auto\n" + Stage(null, "first", "c")
        );
        var stages = RecipeYaml.ParseStages(yaml);
        Assert.Equal("first", stages[0].Name);
        Assert.Equal("auto", stages[1].ChatTemplate);
        Assert.Equal(stages, RecipeYaml.ParseStages(RecipeYaml.WriteStages(stages)));
        Assert.Contains(
            "found 2 (a multi-stage recipe",
            Assert.Throws<RecipeException>(() => RecipeYaml.Parse(yaml)).Message
        );
    }

    [Theory]
    [InlineData(
        "modules:\n  text: {models: [{model: a}]}\n",
        "'modules' (mergekit's per-module merges"
    )]
    [InlineData(
        "slices:\n  - sources: [{model: a, layer_range: [0, 2]}]\n    base_model: b\n",
        "slice 0: base_model 'b' is not one of the slice's sources"
    )]
    [InlineData(
        "slices:\n  - sources: [{model: a, layer_range: [0, 2]}]\n    residual_weight: 0.5\n",
        "slice 0: 'residual_weight' is not supported"
    )]
    [InlineData(
        "models: [{model: a}]\ntokenizer: {source: a, tokens: {x: {source: a}}}\n",
        "'tokenizer.tokens'"
    )]
    [InlineData(
        "models: [{model: a}]\ntokenizer: {source: a, pad_to_multiple_of: 64}\n",
        "'tokenizer.pad_to_multiple_of'"
    )]
    [InlineData(
        "models: [{model: a}]\ntokenizer_source: a\ntokenizer: {source: a}\n",
        "'tokenizer_source' or 'tokenizer', not both"
    )]
    [InlineData(
        "models: [{model: a}]\nchat_template: llama3\n",
        "chat_template 'llama3' is one of mergekit's bundled templates"
    )]
    [InlineData("models: [{model: a}]\nchat_template: b\n", "chat_template 'b' is not 'auto'")]
    public void Keys_mergekit_accepts_that_evomerge_does_not_are_refused_by_name(
        string body,
        string reason
    )
    {
        var message = Assert
            .Throws<RecipeException>(() =>
                RecipeYaml.Parse("merge_method: passthrough\n" + body, "r.yaml")
            )
            .Message;
        Assert.Contains(reason, message);
        Assert.DoesNotContain("\n", message);
    }

    [Fact]
    public void A_filter_of_star_matches_every_tensor()
    {
        var recipe = RecipeYaml.Parse(
            "merge_method: slerp\nbase_model: a\nmodels: [{model: a}, {model: b}]\nparameters:\n  t:\n    - filter: \"*\"\n      value: 0.25\n"
        );
        Assert.Equal(
            ParameterValue.Of(0.25),
            recipe.Parameters["t"]!.Evaluate("model.norm.weight", 0)
        );
    }
}
