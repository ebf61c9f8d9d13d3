using System.Text.Json.Nodes;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Commands;
using EvoMerge.Merging;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;

namespace EvoMerge.Tests.Merging;

/// <summary>
/// A source checkpoint that could not be loaded, or arithmetic that cannot give finite weights, is
/// refused before anything is written: one RecipeException naming the file and the problem, exit 2.
/// </summary>
public sealed class MalformedSourceTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-src-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>model_a copied, with its config changed by <paramref name="edit"/> (null deletes config.json).</summary>
    string Broken(string name, Action<JsonObject>? edit)
    {
        var folder = Path.Combine(_dir, name);
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(Family, "model_a")))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var config = Path.Combine(folder, "config.json");
        if (edit is null)
            File.Delete(config);
        else
        {
            var json = JsonNode.Parse(File.ReadAllText(config))!.AsObject();
            edit(json);
            File.WriteAllText(config, json.ToJsonString());
        }
        return folder;
    }

    /// <summary>model_a's tensors rewritten by <paramref name="change"/> (a null result drops the tensor).</summary>
    string Rewritten(string name, Func<string, torch.Tensor, torch.Tensor?> change)
    {
        var folder = Path.Combine(_dir, name);
        using var reader = CheckpointReader.Open(Path.Combine(Family, "model_a"));
        using var scope = torch.NewDisposeScope();
        var tensors = reader
            .Names.Select(n => (n, change(n, reader.Load(n))))
            .Where(t => t.Item2 is not null)
            .Select(t => (t.n, t.Item2!))
            .ToList();
        CheckpointWriter.WriteFolder(folder, tensors);
        File.Copy(
            Path.Combine(Family, "model_a", "config.json"),
            Path.Combine(folder, "config.json")
        );
        return folder;
    }

    public static TheoryData<string, string> Cases() =>
        new()
        {
            { "no_config", "no such file" },
            { "unknown_architecture", "unsupported model_type 'gpt_neox'" },
            { "hidden_not_divisible", "not divisible by num_attention_heads 5" },
            { "kv_not_dividing", "not a multiple of num_key_value_heads 3" },
            { "zero_heads", "'num_attention_heads' must be positive, got 0" },
            { "hidden_disagrees", "tensor 'model.embed_tokens.weight' has shape [512, 64]" },
            { "string_vocab", "vocab_size" },
            { "missing_tensor", "tensor 'model.layers.2.mlp.up_proj.weight' that" },
            { "weights_sum_to_zero", "sum to 0" },
            { "non_finite", "non-finite values" },
        };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Is_refused_with_one_line_and_nothing_written(string name, string problem)
    {
        string second = name switch
        {
            "no_config" => Broken(name, null),
            "unknown_architecture" => Broken(name, c => c["model_type"] = "gpt_neox"),
            "hidden_not_divisible" => Broken(
                name,
                c =>
                {
                    c["num_attention_heads"] = 5;
                    c.Remove("head_dim");
                }
            ),
            "kv_not_dividing" => Broken(name, c => c["num_key_value_heads"] = 3),
            "zero_heads" => Broken(name, c => c["num_attention_heads"] = 0),
            "hidden_disagrees" => Broken(name, c => c["hidden_size"] = 48),
            "string_vocab" => Broken(name, c => c["vocab_size"] = "512"),
            "missing_tensor" => Rewritten(
                name,
                (n, t) => n == "model.layers.2.mlp.up_proj.weight" ? null : t
            ),
            "non_finite" => Rewritten(
                name,
                (n, t) => n == "model.norm.weight" ? torch.full_like(t, double.PositiveInfinity) : t
            ),
            _ => Path.Combine(Family, "model_b"),
        };
        double w2 = name == "weights_sum_to_zero" ? -1 : 1;
        var recipe = Path.Combine(_dir, name + ".yaml");
        File.WriteAllText(
            recipe,
            $"merge_method: linear\nmodels:\n  - model: {Path.Combine(Family, "model_a")}\n    parameters: {{weight: 1}}\n  - model: {second}\n    parameters: {{weight: {w2}}}\n"
        );
        var output = Path.Combine(_dir, "out");

        var error = Assert.Throws<RecipeException>(() =>
            MergeExecutor.Run(RecipeYaml.Load(recipe), output, MergeOptions.Cpu)
        );

        Assert.Contains(recipe, error.Message);
        Assert.Contains(problem, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        if (name is not ("weights_sum_to_zero" or "non_finite"))
            Assert.Contains(second, error.Message);
        Assert.Equal(2, MergeCommand.Run(recipe, output, "cpu", 0, "5GB", showProgress: false));
        Assert.False(Directory.Exists(output));
        Assert.DoesNotContain(
            Directory.GetDirectories(_dir),
            d => Path.GetFileName(d).StartsWith(".out", StringComparison.Ordinal)
        );
    }
}
