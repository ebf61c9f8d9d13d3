using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Merging;
using EvoMerge.Models;
using EvoMerge.Recipes;
using static TorchSharp.torch;

namespace EvoMerge.Evolution.Runs;

/// <summary>A recipe merged straight into a live model on a device (PS+DFS's model A).</summary>
public static class MergedModel
{
    /// <summary>
    /// Loads the recipe's models onto <paramref name="device"/>, merges into a model of the base's
    /// architecture, and rounds each weight to the recipe's out_dtype/dtype, else the dtype its base checkpoint stores (what a merge to
    /// disk would write, so the in-memory A equals the `evomerge merge` output). The sources are freed.
    /// </summary>
    public static CausalLanguageModel Load(string recipeFile, Device device, long seed)
    {
        var document = RecipeYaml.Load(recipeFile);
        var recipe = document.Recipe;
        var baseFolder = document.ResolveModel(recipe.BaseModel ?? recipe.Models[0].Model);
        var model = CausalLanguageModel.FromPretrained(baseFolder, device, ScalarType.Float32);
        var sources = new Dictionary<string, IReadOnlyDictionary<string, Tensor>>();
        try
        {
            foreach (
                var name in recipe
                    .Models.Select(m => m.Model)
                    .Prepend(recipe.BaseModel)
                    .OfType<string>()
                    .Distinct()
            )
            {
                using var reader = CheckpointReader.Open(document.ResolveModel(name));
                sources[name] = reader.Names.ToDictionary(
                    n => n,
                    n => reader.Load(n, device, ScalarType.Float32).DetachFromDisposeScope()
                );
            }
            var target = model
                .named_parameters()
                .ToDictionary(p => p.name, p => (Tensor)p.parameter);
            using (var merger = new InMemoryMerger(sources, target, new MergeOptions(device, seed)))
                merger.Merge(recipe, seed);
            using var stored = CheckpointReader.Open(baseFolder);
            var forced = recipe.OutDtype ?? recipe.Dtype;
            using var noGrad = no_grad();
            foreach (var (name, live) in target)
            {
                var dtype =
                    forced is not null ? SafetensorsDtypes.ParseTorchDtype(forced)
                    : stored.Contains(name) ? stored.Info(name).Dtype.ToScalarType()
                    : ScalarType.Float32;
                if (dtype != ScalarType.Float32)
                {
                    using var rounded = live.to_type(dtype);
                    live.copy_(rounded);
                }
            }
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
        finally
        {
            foreach (var tensors in sources.Values)
            foreach (var tensor in tensors.Values)
                tensor.Dispose();
        }
    }
}
