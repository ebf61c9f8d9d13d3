namespace EvoMerge.Recipes;

/// <summary>
/// The forms of mergekit's <c>chat_template</c>: <c>auto</c> (the template most of the recipe's models
/// carry), the name of a model of the recipe (its template), a built-in name, or the Jinja text itself
/// (mergekit's rule: at least 20 characters and a '{').
/// </summary>
public static class ChatTemplates
{
    /// <summary>The built-in templates: the standard ChatML format (written here, not copied from mergekit).</summary>
    public static IReadOnlyDictionary<string, string> BuiltIn { get; } =
        new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["chatml"] =
                "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}",
        };

    /// <summary>mergekit's bundled names that evomerge does not ship.</summary>
    static readonly string[] MergekitOnly = ["alpaca", "exaone", "llama3", "mistral"];

    /// <summary>True when <paramref name="value"/> is template text rather than a name.</summary>
    public static bool IsLiteral(string value) => value.Length >= 20 && value.Contains('{');

    /// <summary>Why <paramref name="value"/> cannot be used with a recipe naming <paramref name="models"/>, or null when it can.</summary>
    public static string? Refusal(string value, IReadOnlyList<string> models)
    {
        if (
            value == "auto"
            || BuiltIn.ContainsKey(value)
            || models.Contains(value, StringComparer.Ordinal)
            || IsLiteral(value)
        )
            return null;
        if (MergekitOnly.Contains(value, StringComparer.Ordinal))
            return $"chat_template '{value}' is one of mergekit's bundled templates that evomerge does not ship (built in: {string.Join(", ", BuiltIn.Keys)}); paste the template text, or name a model of the recipe whose template to copy";
        return $"chat_template '{value}' is not 'auto', a built-in name ({string.Join(", ", BuiltIn.Keys)}), a model of this recipe ({string.Join(", ", models)}) or a Jinja template (at least 20 characters with a '{{')";
    }
}
