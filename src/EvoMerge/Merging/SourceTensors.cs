using EvoMerge.Recipes;
using static TorchSharp.torch;

namespace EvoMerge.Merging;

/// <summary>
/// Source models held in memory on a device (model name → tensor name → tensor), loaded once and
/// reused by every candidate of an evolutionary run. Owns its tensors.
/// </summary>
public sealed class SourceTensors : IDisposable
{
    readonly Dictionary<string, IReadOnlyDictionary<string, Tensor>> _models = new(
        StringComparer.Ordinal
    );

    /// <summary>The models, keyed as the recipe names them.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, Tensor>> Models => _models;

    /// <summary>Adds a model from tensors the caller hands over (this object then owns and disposes them).</summary>
    public void Add(string model, IReadOnlyDictionary<string, Tensor> tensors) =>
        _models[model] = tensors;

    /// <summary>
    /// Loads every model <paramref name="document"/> names onto <paramref name="device"/> (optionally
    /// converted to <paramref name="dtype"/>: bf16 halves the memory of float32 sources).
    /// </summary>
    public static SourceTensors Load(
        RecipeDocument document,
        Device device,
        ScalarType? dtype = null
    )
    {
        var readers = MergeExecutor.OpenModels(document);
        var result = new SourceTensors();
        try
        {
            foreach (var (model, reader) in readers)
            {
                var tensors = new Dictionary<string, Tensor>(StringComparer.Ordinal);
                foreach (var name in reader.Names)
                    tensors[name] = reader.Load(name, device, dtype).DetachFromDisposeScope();
                result.Add(model, tensors);
            }
            return result;
        }
        catch
        {
            result.Dispose();
            throw;
        }
        finally
        {
            foreach (var reader in readers.Values)
                reader.Dispose();
        }
    }

    /// <summary>Frees every tensor.</summary>
    public void Dispose()
    {
        foreach (var model in _models.Values)
        foreach (var tensor in model.Values)
            tensor.Dispose();
        _models.Clear();
    }
}
