using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli;
using EvoMerge.Common;
using EvoMerge.Models;
using EvoMerge.Routing;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Routing;

public sealed class RouterTests(ITestOutputHelper output) : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-router-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string Family(string model) => Fixtures.Path($"merges/llama-family/{model}");

    [Theory]
    [InlineData("layer-stack")]
    [InlineData("dfs-scaled")]
    public async Task Route_logits_command_matches_transformers(string fixture)
    {
        var reference = Fixtures.Path($"merges/{fixture}/reference.safetensors");
        var result = Path.Combine(_dir, "logits.safetensors");
        var code = await EvoMergeCli.RunAsync([
            "route-logits",
            "--path",
            Fixtures.Path($"merges/{fixture}/path.json"),
            "--models",
            $"model_a={Family("model_a")},model_b={Family("model_b")}",
            "--input",
            reference,
            "-o",
            result,
        ]);
        Assert.Equal(0, code);
        using var scope = NewDisposeScope();
        using var expected = CheckpointReader.Open(reference);
        using var actual = CheckpointReader.Open(result);
        var delta = (actual.Load("logits") - expected.Load("logits")).abs().max().item<float>();
        output.WriteLine($"{fixture}: max |Δlogit| = {delta:E2}");
        Assert.True(delta <= 1e-4, $"max |Δ| = {delta}");
    }

    [Fact]
    public void Repeated_layer_path_generates_the_same_with_and_without_cache()
    {
        using var scope = NewDisposeScope();
        var models = new Dictionary<string, CausalLanguageModel>
        {
            ["model_a"] = CausalLanguageModel.FromPretrained(Family("model_a")),
            ["model_b"] = CausalLanguageModel.FromPretrained(Family("model_b")),
        };
        try
        {
            var router = new Router(
                models,
                LayerPath.Load(Fixtures.Path("merges/dfs-scaled/path.json"))
            );
            IReadOnlyList<long>[] prompts =
            [
                [1, 45, 12, 99, 7],
                [1, 300, 8],
            ];
            var options = new GenerationOptions
            {
                MaxNewTokens = 10,
                EosTokenIds = ValueArray<int>.Empty,
            };
            var cached = Generation.Generate(router, prompts, options);
            var recomputed = Generation.Generate(
                router,
                prompts,
                options with
                {
                    UseCache = false,
                }
            );
            Assert.Equal(cached.Tokens, recomputed.Tokens);
            Assert.Equal(10, cached.Tokens[0].Count);
        }
        finally
        {
            foreach (var model in models.Values)
                model.Dispose();
        }
    }

    [Fact]
    public void Unit_scale_path_over_one_model_equals_the_model_itself()
    {
        using var scope = NewDisposeScope();
        using var model = CausalLanguageModel.FromPretrained(Family("model_a"));
        var path = new LayerPath(
            Enumerable.Range(0, model.Layers.Count).Select(i => new PathStep("a", i)).ToArray()
        );
        var router = new Router(
            new Dictionary<string, CausalLanguageModel> { ["a"] = model },
            path
        );
        var ids = tensor(new long[] { 1, 5, 9, 200, 3, 77 }).reshape(1, 6);
        Assert.True(router.Forward(ids).allclose(model.Forward(ids), rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void Unknown_model_or_layer_is_refused()
    {
        using var model = CausalLanguageModel.FromPretrained(Family("model_a"));
        var models = new Dictionary<string, CausalLanguageModel> { ["a"] = model };
        Assert.Contains(
            "not loaded",
            Assert
                .Throws<ArgumentException>(() =>
                    new Router(
                        models,
                        LayerPath.Parse(
                            """{"path":[{"model":"a","layer":0},{"model":"b","layer":0}]}"""
                        )
                    )
                )
                .Message
        );
        Assert.Contains(
            "has 4 layers",
            Assert
                .Throws<ArgumentException>(() =>
                    new Router(models, LayerPath.Parse("""{"path":[{"model":"a","layer":9}]}"""))
                )
                .Message
        );
    }

    [Fact]
    public async Task Route_logits_with_a_path_through_an_unloaded_model_fails_in_one_line()
    {
        var pathFile = Path.Combine(_dir, "path.json");
        File.WriteAllText(
            pathFile,
            """{"path":[{"model":"model_a","layer":0},{"model":"model_c","layer":1}]}"""
        );
        var result = Path.Combine(_dir, "never.safetensors");
        var code = await EvoMergeCli.RunAsync([
            "route-logits",
            "--path",
            pathFile,
            "--models",
            $"model_a={Family("model_a")}",
            "--input",
            Fixtures.Path("merges/layer-stack/reference.safetensors"),
            "-o",
            result,
        ]);
        Assert.Equal(ExitCodes.BadInput, code);
        Assert.False(File.Exists(result));
    }
}
