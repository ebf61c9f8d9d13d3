using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace EvoMerge.Recipes;

/// <summary>
/// A model map (<c>evomerge merge --model-map models.yaml</c>): a YAML mapping from the names a recipe
/// uses (Hugging Face ids such as <c>mistralai/Mistral-7B-v0.1</c>, or any other) to local checkpoint
/// folders, relative to the map file or absolute. It lets a recipe copied from a model card run
/// unchanged on local folders: mapped names are resolved before paths.
/// </summary>
public static class ModelMap
{
    /// <summary>Reads a map file: name → absolute folder. Errors name the map file.</summary>
    public static IReadOnlyDictionary<string, string> Load(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new RecipeException(full, "model map file not found");
        var folder = Path.GetDirectoryName(full)!;
        YamlStream stream;
        try
        {
            stream = new YamlStream();
            stream.Load(new StringReader(File.ReadAllText(full, Encoding.UTF8)));
        }
        catch (YamlException e)
        {
            throw new RecipeException(
                full,
                $"invalid YAML at line {e.Start.Line}, column {e.Start.Column}: {e.Message}",
                e
            );
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new RecipeException(full, $"cannot read the model map ({e.Message})");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode map)
            throw new RecipeException(
                full,
                "a model map must be one YAML mapping of model name → local folder"
            );
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in map.Children)
        {
            if (
                key is not YamlScalarNode { Value: { Length: > 0 } name }
                || value is not YamlScalarNode { Value: { Length: > 0 } target }
            )
                throw new RecipeException(
                    full,
                    $"line {key.Start.Line}: each entry must be 'name: folder' (two plain values)"
                );
            result[name] = Path.GetFullPath(
                Path.IsPathRooted(target) ? target : Path.Combine(folder, target)
            );
        }
        return result;
    }
}
