using EvoMerge.Recipes;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// Merges recipes straight into a live model's parameters, for the evolutionary loop: the sources
/// stay loaded on the device, the target tensors (e.g. <c>module.named_parameters()</c>, whose names
/// equal the checkpoint keys) are overwritten in place, and the kernels work in preallocated
/// scratch buffers — no disk round trip and no new full-size tensors per candidate.
/// </summary>
public sealed class InMemoryMerger : IDisposable
{
    readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, Tensor>> _sources;
    readonly IReadOnlyDictionary<string, Tensor> _target;
    readonly Dictionary<string, ModelInventory> _inventories;
    readonly MergeScratch _scratch;
    readonly Dictionary<MergeRecipe, MergePlan> _plans = [];

    /// <summary>Prepares a merger.</summary>
    /// <param name="sources">Model name (as recipes name it) → tensor name → tensor, on <see cref="MergeOptions.Device"/>; not owned.</param>
    /// <param name="target">Tensor name → live tensor to overwrite (same device); not owned.</param>
    /// <param name="options">Device, seed, compute dtype, chunk size.</param>
    public InMemoryMerger(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, Tensor>> sources,
        IReadOnlyDictionary<string, Tensor> target,
        MergeOptions options
    )
    {
        _sources = sources;
        _target = target;
        Options = options;
        _inventories = sources.ToDictionary(
            kv => kv.Key,
            kv => ModelInventory.FromTensors(kv.Key, kv.Value),
            StringComparer.Ordinal
        );
        _scratch = new MergeScratch(
            options.Device,
            options.ComputeDtype,
            options.ChunkElements,
            options.Backend
        );
    }

    /// <summary>How merges run.</summary>
    public MergeOptions Options { get; }

    /// <summary>Plans a recipe over the in-memory sources (cached per recipe: decoding the same genome twice plans once).</summary>
    public MergePlan Plan(MergeRecipe recipe)
    {
        if (_plans.TryGetValue(recipe, out var cached))
            return cached;
        var plan = MergePlanner.Plan(RecipeDocument.InMemory(recipe), _inventories);
        foreach (var tensor in plan.Tensors)
        {
            if (!_target.TryGetValue(tensor.Name, out var live))
                throw new RecipeException(
                    "<in-memory recipe>",
                    $"the target model has no tensor '{tensor.Name}'"
                );
            if (!live.shape.SequenceEqual(tensor.Shape))
                throw new RecipeException(
                    "<in-memory recipe>",
                    $"target '{tensor.Name}' has shape [{string.Join(", ", live.shape)}], the merge gives [{string.Join(", ", tensor.Shape)}]"
                );
        }
        if (
            plan.Tensors.Any(t =>
                t.Operation
                    is TaskArithmeticOperation
                    {
                        Sparsification: Sparsification.Magnitude
                            or Sparsification.MagnitudeOutliers
                            or Sparsification.Variance
                    }
            )
        )
            _scratch.Reserve(plan.Tensors.Max(t => t.ElementCount));
        if (_plans.Count > 64)
            _plans.Clear();
        _plans[recipe] = plan;
        return plan;
    }

    /// <summary>Merges <paramref name="recipe"/> into the target tensors, with the options' seed or <paramref name="seed"/>.</summary>
    public void Merge(MergeRecipe recipe, long? seed = null) =>
        Execute(Plan(recipe), seed ?? Options.Seed);

    /// <summary>Runs a plan into the target tensors.</summary>
    public void Execute(MergePlan plan, long seed)
    {
        using var noGrad = torch.no_grad();
        var inputs = new List<Tensor>(8);
        foreach (var tensor in plan.Tensors)
        {
            inputs.Clear();
            foreach (var input in tensor.Inputs)
                inputs.Add(_sources[input.Model][input.Tensor]);
            TensorMerger.Merge(tensor, inputs, _target[tensor.Name], _scratch, seed);
        }
    }

    /// <summary>Frees the scratch buffers (not the sources or the target).</summary>
    public void Dispose() => _scratch.Dispose();
}
