using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Cli.Commands;
using EvoMerge.Tests.Support;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Merging;

/// <summary>The layer-stack fixture as a mergekit `slices` passthrough recipe (a frankenmerge).</summary>
public sealed class LayerStackTests : IDisposable
{
    static readonly string Family = Fixtures.Path("merges/llama-family");
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-stack-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Consecutive path steps from one model become one slice with a half-open layer range.</summary>
    internal static (string Yaml, List<(string Model, int Layer)> Path) Recipe()
    {
        using var doc = JsonDocument.Parse(
            File.ReadAllText(Fixtures.Path("merges/layer-stack/path.json"))
        );
        var path = doc
            .RootElement.GetProperty("path")
            .EnumerateArray()
            .Select(s => (s.GetProperty("model").GetString()!, s.GetProperty("layer").GetInt32()))
            .ToList();
        var yaml = new StringBuilder("merge_method: passthrough\ndtype: float32\nslices:\n");
        int i = 0;
        while (i < path.Count)
        {
            int j = i;
            while (
                j + 1 < path.Count
                && path[j + 1].Item1 == path[i].Item1
                && path[j + 1].Item2 == path[j].Item2 + 1
            )
                j++;
            yaml.Append(
                $"  - sources:\n      - model: {Path.Combine(Family, path[i].Item1)}\n        layer_range: [{path[i].Item2}, {path[j].Item2 + 1}]\n"
            );
            i = j + 1;
        }
        return (yaml.ToString(), path);
    }

    [Fact]
    public void Slices_stack_the_source_layers()
    {
        var (yaml, path) = Recipe();
        var recipePath = Path.Combine(_dir, "stack.yaml");
        File.WriteAllText(recipePath, yaml);
        var output = Path.Combine(_dir, "stacked");
        Assert.Equal(
            0,
            MergeCommand.Run(recipePath, output, "cpu", 0, "200KB", showProgress: false)
        );

        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(output, "config.json")))!;
        Assert.Equal(path.Count, config["num_hidden_layers"]!.GetValue<int>());
        Assert.Equal("float32", config["dtype"]!.GetValue<string>());
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors.index.json"))); // 200KB shards

        using var merged = CheckpointReader.Open(output);
        var readers = new Dictionary<string, CheckpointReader>
        {
            ["model_a"] = CheckpointReader.Open(Path.Combine(Family, "model_a")),
            ["model_b"] = CheckpointReader.Open(Path.Combine(Family, "model_b")),
        };
        try
        {
            int compared = 0;
            for (int layer = 0; layer < path.Count; layer++)
            {
                var (model, source) = path[layer];
                var prefix = $"model.layers.{source}.";
                foreach (
                    var name in readers[model]
                        .Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
                )
                {
                    using var scope = NewDisposeScope();
                    var outName = $"model.layers.{layer}." + name[prefix.Length..];
                    Assert.True(
                        readers[model].Load(name).equal(merged.Load(outName)).all().item<bool>(),
                        outName
                    );
                    compared++;
                }
            }
            foreach (
                var name in new[]
                {
                    "model.embed_tokens.weight",
                    "model.norm.weight",
                    "lm_head.weight",
                }
            )
            {
                using var scope = NewDisposeScope();
                Assert.True(
                    readers["model_a"].Load(name).equal(merged.Load(name)).all().item<bool>(),
                    name
                );
            }
            Assert.Equal(path.Count * 9, compared);
            Assert.Equal(path.Count * 9 + 3, merged.Names.Count);
        }
        finally
        {
            foreach (var r in readers.Values)
                r.Dispose();
        }
    }

    [Fact]
    public async Task Merged_stack_gives_transformers_logits_through_the_logits_command()
    {
        var recipePath = Path.Combine(_dir, "stack.yaml");
        File.WriteAllText(recipePath, Recipe().Yaml);
        var output = Path.Combine(_dir, "stacked");
        Assert.Equal(0, MergeCommand.Run(recipePath, output, "cpu", 0, "5GB", showProgress: false));
        var reference = Fixtures.Path("merges/layer-stack/reference.safetensors");
        var logitsFile = Path.Combine(_dir, "logits.safetensors");
        Assert.Equal(
            0,
            await EvoMerge.Cli.EvoMergeCli.RunAsync([
                "logits",
                output,
                "--input",
                reference,
                "-o",
                logitsFile,
            ])
        );
        using var scope = NewDisposeScope();
        using var expected = CheckpointReader.Open(reference);
        using var actual = CheckpointReader.Open(logitsFile);
        var delta = (actual.Load("logits") - expected.Load("logits")).abs().max().item<float>();
        Assert.True(delta <= 1e-4, $"max |Δlogit| = {delta}");
    }
}
