using EvoMerge.Checkpoints.Config;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Models;
using EvoMerge.Recipes;

namespace EvoMerge.Merging;

/// <summary>
/// Checks a merge before anything is written: every source's config.json describes a model this
/// tool can load (architecture known, head counts consistent) and its checkpoint holds every
/// tensor that config implies, with the implied shape; and the planned output holds every tensor
/// the output config implies. The expected names and shapes come from building the model on the
/// <c>meta</c> device (no weights), so they are the loader's own.
/// </summary>
public static class SourceValidator
{
    /// <summary>Throws one <see cref="RecipeException"/> naming the model, the file and the problem.</summary>
    public static void CheckSources(
        RecipeDocument document,
        IReadOnlyDictionary<string, CheckpointReader> readers
    )
    {
        foreach (var (model, reader) in readers.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            HfConfig config;
            try
            {
                config = HfConfig.Load(reader.Path);
            }
            catch (HfConfigException e)
            {
                throw new RecipeException(document.FilePath, $"model '{model}': {e.Message}", e);
            }
            var configPath = Path.Combine(reader.Path, "config.json");
            var names = reader.Names.ToHashSet(StringComparer.Ordinal);
            foreach (var (name, shape) in ModelShapes.Of(config))
            {
                if (!names.Contains(name))
                    throw new RecipeException(
                        document.FilePath,
                        $"model '{model}': tensor '{name}' that {configPath} implies is missing from the checkpoint in {reader.Path}"
                    );
                var actual = reader.Info(name).Shape;
                if (!actual.SequenceEqual(shape))
                    throw new RecipeException(
                        document.FilePath,
                        $"model '{model}': tensor '{name}' has shape [{string.Join(", ", actual)}] but {configPath} (hidden_size {config.HiddenSize}, {config.NumAttentionHeads} heads, {config.NumKeyValueHeads} kv heads, vocab_size {config.VocabSize}) implies [{string.Join(", ", shape)}]"
                    );
            }
        }
    }

    /// <summary>Checks that <paramref name="plan"/> writes every tensor <paramref name="outputConfigJson"/> implies, with its shape.</summary>
    public static void CheckOutput(RecipeDocument document, MergePlan plan, string outputConfigJson)
    {
        HfConfig config;
        try
        {
            config = HfConfig.Parse(outputConfigJson, "output config.json");
        }
        catch (HfConfigException e)
        {
            throw new RecipeException(document.FilePath, e.Message, e);
        }
        var planned = plan.Tensors.ToDictionary(t => t.Name, t => t.Shape, StringComparer.Ordinal);
        foreach (var (name, shape) in ModelShapes.Of(config))
        {
            if (!planned.TryGetValue(name, out var actual))
                throw new RecipeException(
                    document.FilePath,
                    $"the merged checkpoint would lack tensor '{name}' that its config.json ({config.NumHiddenLayers} layers) implies"
                );
            if (!actual.SequenceEqual(shape))
                throw new RecipeException(
                    document.FilePath,
                    $"merged tensor '{name}' would have shape [{string.Join(", ", actual)}] but the output config.json implies [{string.Join(", ", shape)}]"
                );
        }
    }
}
