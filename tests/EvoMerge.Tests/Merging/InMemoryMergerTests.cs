using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Merging;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Merging;

/// <summary>The in-memory merger: same tensors as the disk executor, no tensors left behind per candidate.</summary>
public sealed class InMemoryMergerTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-mem-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static MergeRecipe DareTies(double densityA, double weightA) =>
        MergeRecipe.ForModels(
            "dare_ties",
            "base",
            [
                new RecipeModel(
                    "model_a",
                    ParameterMap.Of(
                        ("weight", ParameterValue.Of(weightA)),
                        ("density", ParameterValue.Of(densityA))
                    )
                ),
                new RecipeModel(
                    "model_b",
                    ParameterMap.Of(
                        ("weight", ParameterValue.Of(0.4)),
                        ("density", ParameterValue.Of(0.6))
                    )
                ),
                new RecipeModel(
                    "model_c",
                    ParameterMap.Of(
                        ("weight", ParameterValue.Of(0.5)),
                        ("density", ParameterValue.Of(0.3))
                    )
                ),
            ]
        );

    [Fact]
    public void Merges_into_live_tensors_like_the_disk_executor_without_leaking_tensors()
    {
        var recipe = DareTies(0.5, 0.7);
        var document = new RecipeDocument(recipe, Path.Combine(Family, "recipe.yaml"), Family);
        using var sources = SourceTensors.Load(document, CPU);
        var target = sources
            .Models["base"]
            .ToDictionary(kv => kv.Key, kv => kv.Value.clone().DetachFromDisposeScope());
        try
        {
            using var merger = new InMemoryMerger(
                sources.Models,
                target,
                MergeOptions.Cpu with
                {
                    Seed = 3,
                }
            );
            merger.Merge(DareTies(0.9, 0.2)); // warm-up: plans, scratch buffers
            long live = DisposeScopeManager.Statistics.ThreadTotalLiveCount;
            for (int candidate = 0; candidate < 3; candidate++)
                merger.Merge(DareTies(0.3 + 0.1 * candidate, 0.5));
            merger.Merge(recipe);
            Assert.Equal(live, DisposeScopeManager.Statistics.ThreadTotalLiveCount);

            var output = Path.Combine(_dir, "disk");
            MergeExecutor.Run(document, output, MergeOptions.Cpu with { Seed = 3 });
            using var reader = CheckpointReader.Open(output);
            foreach (var name in reader.Names)
            {
                using var scope = NewDisposeScope();
                Assert.True((reader.Load(name) == target[name]).all().item<bool>(), name);
            }
        }
        finally
        {
            foreach (var t in target.Values)
                t.Dispose();
        }
    }

    [Fact]
    public void A_target_missing_a_tensor_is_a_recipe_error()
    {
        var recipe = DareTies(0.5, 0.7);
        using var sources = SourceTensors.Load(new RecipeDocument(recipe, "r.yaml", Family), CPU);
        var target = sources.Models["base"].Where(kv => !kv.Key.Contains("lm_head")).ToDictionary();
        using var merger = new InMemoryMerger(sources.Models, target, MergeOptions.Cpu);
        var error = Assert.Throws<RecipeException>(() => merger.Merge(recipe));
        Assert.Contains("lm_head", error.Message);
    }
}
