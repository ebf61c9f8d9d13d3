using System.Text.Json.Nodes;
using EvoMerge.Cli.Commands;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>chat_template through the merge command: chosen or copied into the output's tokenizer_config.json (and chat_template.jinja).</summary>
public sealed class ChatTemplateTests : IDisposable
{
    const string T1 = "{% for m in messages %}[one] {{ m['content'] }}{% endfor %}";
    const string T2 = "{% for m in messages %}[two] {{ m['content'] }}{% endfor %}";
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-chat-").FullName;

    public ChatTemplateTests()
    {
        // base carries T2, model_a and model_b carry T1 (so 'auto' picks T1), model_c has no tokenizer files.
        foreach (
            var (role, template) in new[]
            {
                ("base", T2),
                ("model_a", T1),
                ("model_b", T1),
                ("model_c", (string?)null),
            }
        )
        {
            var target = Path.Combine(_dir, role);
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(Fixtures.Path($"merges/llama-family/{role}")))
                File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
            if (template is null)
                continue;
            var config = new JsonObject
            {
                ["tokenizer_class"] = "LlamaTokenizer",
                ["chat_template"] = template,
            };
            File.WriteAllText(Path.Combine(target, "tokenizer_config.json"), config.ToJsonString());
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Merge(string chatTemplate, string baseModel = "base", string name = "out")
    {
        var recipe = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(
            recipe,
            $"merge_method: task_arithmetic\nbase_model: {baseModel}\nchat_template: {chatTemplate}\nmodels:\n  - model: model_a\n    parameters: {{weight: 0.5}}\n  - model: model_b\n    parameters: {{weight: 0.5}}\n"
        );
        var output = Path.Combine(_dir, name);
        Assert.Equal(0, MergeCommand.Run(recipe, output, "cpu", 0, "5GB", false));
        return output;
    }

    static JsonNode TokenizerConfig(string folder) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(folder, "tokenizer_config.json")))!;

    [Fact]
    public void Auto_takes_the_template_most_models_carry_and_keeps_the_other_keys()
    {
        var config = TokenizerConfig(Merge("auto"));
        Assert.Equal(T1, config["chat_template"]!.GetValue<string>());
        Assert.Equal("LlamaTokenizer", config["tokenizer_class"]!.GetValue<string>());
    }

    [Fact]
    public void A_model_name_a_built_in_name_or_a_literal_template_is_used()
    {
        Assert.Equal(
            T1,
            TokenizerConfig(Merge("model_a", name: "named"))["chat_template"]!.GetValue<string>()
        );
        Assert.Equal(
            ChatTemplates.BuiltIn["chatml"],
            TokenizerConfig(Merge("chatml", name: "chatml"))["chat_template"]!.GetValue<string>()
        );
        var literal = "\"{{ messages[0]['content'] }} literal\"";
        Assert.Equal(
            "{{ messages[0]['content'] }} literal",
            TokenizerConfig(Merge(literal, name: "literal"))["chat_template"]!.GetValue<string>()
        );
    }

    [Fact]
    public void Chat_template_jinja_of_the_tokenizer_source_is_replaced_too()
    {
        File.WriteAllText(Path.Combine(_dir, "base", "chat_template.jinja"), T2);
        var output = Merge("model_b");
        Assert.Equal(T1, File.ReadAllText(Path.Combine(output, "chat_template.jinja")));
        Assert.Equal(T1, TokenizerConfig(output)["chat_template"]!.GetValue<string>());
    }

    [Fact]
    public void No_tokenizer_config_to_write_into_is_one_error_and_nothing_is_written()
    {
        var recipe = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(
            recipe,
            "merge_method: linear\nbase_model: model_c\nchat_template: chatml\nmodels:\n  - model: model_c\n    parameters: {weight: 1}\n  - model: model_a\n    parameters: {weight: 1}\n"
        );
        var output = Path.Combine(_dir, "bad");
        Assert.Equal(2, MergeCommand.Run(recipe, output, "cpu", 0, "5GB", false));
        Assert.False(Directory.Exists(output));
    }
}
