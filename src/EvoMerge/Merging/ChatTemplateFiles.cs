using System.Text.Json;
using System.Text.Json.Nodes;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Recipes;

namespace EvoMerge.Merging;

/// <summary>
/// Writes a recipe's <c>chat_template</c> into the output's tokenizer files, as mergekit does:
/// <c>auto</c> takes the template most of the recipe's models carry (none: the tokenizer source's is
/// kept), a model's name takes that model's, a built-in name or a literal template is used as given.
/// The template goes into tokenizer_config.json's <c>chat_template</c>, and into chat_template.jinja
/// when the source has one (transformers reads that file first, so the two must agree).
/// </summary>
internal static class ChatTemplateFiles
{
    public static void Apply(
        RecipeDocument document,
        string choice,
        string tokenizerModel,
        string tokenizerFolder,
        IReadOnlyDictionary<string, CheckpointReader> readers,
        List<(string Name, string? SourcePath, string? Text)> files
    )
    {
        RecipeException Error(string problem) => new(document.FilePath, problem);
        string Folder(string model) =>
            readers.TryGetValue(model, out var r) ? r.Path : document.ResolveModel(model);
        string? template;
        if (choice == "auto")
        {
            // Plurality over the models' templates; ties go to the model named first.
            template = document
                .Recipe.ReferencedModels()
                .Select(m => Read(Folder(m), m, Error))
                .OfType<string>()
                .GroupBy(t => t)
                .OrderByDescending(g => g.Count())
                .Select(g => g.Key)
                .FirstOrDefault();
            if (template is null)
                return;
        }
        else if (ChatTemplates.BuiltIn.TryGetValue(choice, out var builtIn))
            template = builtIn;
        else if (document.Recipe.ReferencedModels().Contains(choice, StringComparer.Ordinal))
            template =
                Read(Folder(choice), choice, Error)
                ?? throw Error(
                    $"chat_template '{choice}': that model has no chat template (no 'chat_template' in its tokenizer_config.json, no chat_template.jinja)"
                );
        else
            template = choice;
        int at = files.FindIndex(f => f.Name == "tokenizer_config.json");
        if (at < 0)
            throw Error(
                $"chat_template: the tokenizer source '{tokenizerModel}' has no tokenizer_config.json to write the template into ({tokenizerFolder})"
            );
        var config = ParseConfig(files[at].SourcePath!, tokenizerModel, Error);
        config["chat_template"] = template;
        files[at] = (
            "tokenizer_config.json",
            null,
            config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n"
        );
        int jinja = files.FindIndex(f => f.Name == "chat_template.jinja");
        if (jinja >= 0)
            files[jinja] = ("chat_template.jinja", null, template);
    }

    /// <summary>A model's chat template (chat_template.jinja first, as transformers reads it), or null.</summary>
    static string? Read(string folder, string model, Func<string, RecipeException> error)
    {
        var jinja = Path.Combine(folder, "chat_template.jinja");
        if (File.Exists(jinja))
            return File.ReadAllText(jinja).Trim();
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path))
            return null;
        return ParseConfig(path, model, error)["chat_template"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var text) => text.Trim(),
            // Several named templates: mergekit takes "default".
            JsonArray list => list.OfType<JsonObject>()
                .Where(o => o["name"]?.GetValue<string>() == "default")
                .Select(o => o["template"]?.GetValue<string>()?.Trim())
                .FirstOrDefault(),
            _ => null,
        };
    }

    static JsonObject ParseConfig(string path, string model, Func<string, RecipeException> error)
    {
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw error($"tokenizer_config.json of '{model}' is not a JSON object");
        }
        catch (JsonException e)
        {
            throw error($"tokenizer_config.json of '{model}' is not valid JSON ({e.Message})");
        }
    }
}
