using EvoMerge.Evolution.Genomes;
using EvoMerge.Routing;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Evolution;

public class DfsSpaceTests
{
    static readonly DfsSpace Space = new("model_a", 4, "model_b", 4, Repeats: 2);

    [Fact]
    public void Dimensions_follow_the_paper()
    {
        Assert.Equal(8, Space.M);
        Assert.Equal(16, Space.Slots);
        Assert.Equal(16 + 64, Space.Dimension);
        // The paper's 7B run: M = 64, r = 3 → 192 + 4096 = 4,288 genes.
        Assert.Equal(4288, new DfsSpace("a", 32, "b", 32, 3).Dimension);
    }

    [Fact]
    public void Initial_genome_decodes_to_model_a_itself_with_unit_scales()
    {
        var path = Space.Decode(Space.InitialGenome());
        Assert.Equal(
            [new("model_a", 0), new("model_a", 1), new("model_a", 2), new("model_a", 3)],
            path.Steps.ToArray()
        );
    }

    [Fact]
    public void Slots_run_layer_t_mod_M_and_scales_come_from_W_prev_next()
    {
        var genome = new double[Space.Dimension];
        Array.Fill(genome, -1.0, 0, Space.Slots);
        genome[5] = 0.3; // slot 5 → global 5 = model_b layer 1
        genome[8 + 5] = 0.1; // second repetition, slot 13 → global 5 again (a layer used twice)
        genome[8 + 2] = 0.2; // slot 10 → global 2 = model_a layer 2
        // θ[i, j] at Slots + i*M + j
        genome[Space.Slots + 0 * 8 + 5] = 0.25; // 0 → 5
        genome[Space.Slots + 5 * 8 + 2] = -0.2; // 5 → 2
        genome[Space.Slots + 2 * 8 + 5] = 0.5; // 2 → 5
        genome[Space.Slots + 5 * 8 + 3] = 0.05; // 5 → 3 (end: A's last layer)
        var path = Space.Decode(genome);
        Snapshot.Verify(path.ToJson());
        Assert.Equal(["model_a", "model_b"], path.Models);
        Assert.Equal(2, path.Usage()[("model_b", 1)]);
    }

    [Fact]
    public void Without_scales_every_step_is_unscaled()
    {
        var space = Space with { EvolveScales = false };
        var genome = new double[space.Dimension];
        genome[6] = 1;
        Assert.All(space.Decode(genome).Steps, s => Assert.Equal(1.0, s.Scale));
    }

    [Fact]
    public void Wrong_length_is_refused() =>
        Assert.Throws<ArgumentException>(() => Space.Decode(new double[3]));

    [Fact]
    public void Fixture_paths_parse_and_round_trip()
    {
        var path = LayerPath.Load(Fixtures.Path("merges/dfs-scaled/path.json"));
        Assert.Equal(6, path.Length);
        Assert.Equal(1.25, path.Steps[2].Scale);
        Assert.Equal(path, LayerPath.Parse(path.ToJson()));
        var stack = LayerPath.Load(Fixtures.Path("merges/layer-stack/path.json"));
        Assert.All(stack.Steps, s => Assert.Equal(1.0, s.Scale));
    }
}
