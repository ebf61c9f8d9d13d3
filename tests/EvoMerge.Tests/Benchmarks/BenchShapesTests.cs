using System.CommandLine;
using EvoMerge.Benchmarks;
using EvoMerge.Cli.Commands;
using EvoMerge.Models;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Benchmarks;

public class BenchShapesTests
{
    public static TheoryData<string> Names => new(BenchShapes.Names);

    /// <summary>Built on the meta device (shapes, no weights), so even the 7B preset allocates nothing.</summary>
    [Theory]
    [MemberData(nameof(Names))]
    public void Each_preset_has_its_advertised_parameter_count(string name)
    {
        var shape = BenchShapes.Get(name);
        using var model = new CausalLanguageModel(
            shape.Config,
            new Device(DeviceType.META),
            ScalarType.Float32
        );
        Assert.Equal(shape.Parameters, model.parameters().Sum(p => p.numel()));
        Assert.Equal(
            shape.Parameters,
            ModelShapes.Of(shape.Config).Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b))
        );
        Assert.Equal(shape.Config.NumHiddenLayers, shape.Config.LayerTypes.Count);
    }

    /// <summary>The small presets with real weights: the count holds for the model a benchmark runs, and it runs.</summary>
    [Fact]
    public void Small_presets_build_real_models_of_the_advertised_size()
    {
        foreach (var shape in BenchShapes.All.Where(s => s.Parameters < 10_000_000))
        {
            using var scope = NewDisposeScope();
            using var model = new CausalLanguageModel(shape.Config, CPU, ScalarType.Float32);
            model.InitializeRandom(seed: 1);
            Assert.Equal(shape.Parameters, model.parameters().Sum(p => p.numel()));
            var logits = model.Forward(tensor(new long[] { 1, 2, 3 }).unsqueeze(0));
            Assert.Equal(new long[] { 1, 3, shape.Config.VocabSize }, logits.shape);
            Assert.True(logits.isfinite().all().item<bool>());
        }
        Assert.Contains(BenchShapes.All, s => s.Parameters < 10_000_000);
    }

    [Fact]
    public void Names_are_unique_and_looked_up_case_insensitively()
    {
        Assert.Equal(BenchShapes.Names.Count, BenchShapes.Names.Distinct().Count());
        Assert.Same(BenchShapes.Get("llama-1b"), BenchShapes.Get(" Llama-1B "));
        var e = Assert.Throws<ArgumentException>(() => BenchShapes.Get("zoo-7b"));
        foreach (var name in BenchShapes.Names)
            Assert.Contains(name, e.Message);
    }

    [Fact]
    public void With_layers_changes_only_the_layer_count()
    {
        var tiny = BenchShapes.Get("tiny");
        Assert.Same(tiny.Config, tiny.WithLayers(null));
        var two = tiny.WithLayers(2);
        Assert.Equal(2, two.NumHiddenLayers);
        Assert.Equal(2, two.LayerTypes.Count);
        Assert.Equal(tiny.Config with { NumHiddenLayers = 2, LayerTypes = two.LayerTypes }, two);
        Assert.Throws<ArgumentOutOfRangeException>(() => tiny.WithLayers(0));
    }

    /// <summary>Every bench subcommand with a --shape option lists the table's names in its help.</summary>
    [Fact]
    public void Shape_help_lists_the_table()
    {
        var withShape = BenchCommand
            .Create()
            .Subcommands.Select(c =>
                (c.Name, Shape: c.Options.FirstOrDefault(o => o.Name == "--shape"))
            )
            .Where(c => c.Shape is not null)
            .ToList();
        Assert.Equal(["merge", "forward", "generate"], withShape.Select(c => c.Name));
        foreach (var (command, option) in withShape)
        foreach (var name in BenchShapes.Names)
            Assert.True(
                option!.Description!.Contains(name, StringComparison.Ordinal),
                $"bench {command} --shape help lacks {name}: {option.Description}"
            );
    }
}
