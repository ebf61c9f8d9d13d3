using System.Text;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Merging;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Merging;

/// <summary>Fingerprints (name, shape, dtype, rounded mean/std/norm) of a seeded DARE-TIES merge of the fixtures.</summary>
public sealed class MergedTensorFingerprintTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-fp-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Seeded_dare_ties_merge_fingerprints()
    {
        var family = Fixtures.Path("merges/llama-family");
        var yaml = $"""
            merge_method: dare_ties
            base_model: {family}/base
            parameters:
              normalize: false
            models:
              - model: {family}/model_a
                parameters: {"{"} density: 0.6, weight: 0.9 {"}"}
              - model: {family}/model_b
                parameters: {"{"} density: 0.3, weight: 0.5 {"}"}
            dtype: float32
            """;
        var output = Path.Combine(_dir, "merged");
        MergeExecutor.Run(
            RecipeYaml.Parse(yaml) is var recipe ? RecipeDocument.InMemory(recipe, _dir) : null!,
            output,
            new MergeOptions(CPU, Seed: 42)
        );
        using var reader = CheckpointReader.Open(output);
        var text = new StringBuilder();
        using var scope = NewDisposeScope();
        foreach (var name in reader.Names.Order(StringComparer.Ordinal))
        {
            var t = reader.Load(name, dtype: ScalarType.Float64);
            text.AppendLine(
                $"{name} [{string.Join(",", t.shape)}] {reader.Info(name).Dtype} mean={Snapshot.Num(t.mean().item<double>(), 5)} std={Snapshot.Num(t.std().item<double>(), 5)} norm={Snapshot.Num(t.norm().item<double>(), 4)}"
            );
        }
        Snapshot.Verify(text.ToString());
    }
}
