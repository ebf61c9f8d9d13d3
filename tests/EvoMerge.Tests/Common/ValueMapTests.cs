using System.Text.Json;
using EvoMerge.Common;
using EvoMerge.Common.Random;
using EvoMerge.Evolution.Optimizers;
using EvoMerge.Evolution.Runs;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Common;

public class ValueMapTests
{
    [Fact]
    public void Maps_compare_and_hash_by_content_in_any_order_and_keep_insertion_order()
    {
        var a = new Dictionary<string, double> { ["b"] = 2, ["a"] = 1 }.ToValueMap();
        var b = new Dictionary<string, double> { ["a"] = 1, ["b"] = 2 }.ToValueMap();
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new Dictionary<string, double> { ["a"] = 1, ["b"] = 3 }.ToValueMap());
        Assert.NotEqual(a, new Dictionary<string, double> { ["a"] = 1 }.ToValueMap());
        Assert.Equal(["b", "a"], a.Keys);
        Assert.Equal(2, a["b"]);
        Assert.False(a.TryGetValue("c", out _));
        Assert.Equal(ValueMap<string, double>.Empty, new Dictionary<string, double>().ToValueMap());
    }

    [Fact]
    public void Records_holding_wrapped_collections_are_equal_when_their_contents_are()
    {
        RunLogEntry Entry() =>
            new(3, 1, ValueArray.Of(0.5, 1.0), Scores("ja_math", 0.25), 0.25, "p", 1.5);
        Assert.Equal(Entry(), Entry());
        Assert.Equal(Entry().GetHashCode(), Entry().GetHashCode());
        Assert.NotEqual(Entry(), Entry() with { Scores = Scores("ja_math", 0.5) });
        var summary = new GenerationSummary(1, 8, 0.5, 0.25, 0.5, 0.3, ValueArray.Of(0.1, 0.2));
        Assert.Equal(summary, summary with { MeanGenome = ValueArray.Of(0.1, 0.2) });
        var checkpoint = new RunCheckpoint(
            1,
            8,
            null,
            null,
            new RngState(1, 2, 3, 4, null),
            8,
            ValueArray.Of(1.0),
            0.5,
            2
        );
        Assert.Equal(checkpoint, checkpoint with { BestGenome = ValueArray.Of(1.0) });
    }

    // What the records were before they wrapped their collections: the files must not change.
    sealed record OldLogEntry(
        int Generation,
        int Index,
        double[] Genome,
        Dictionary<string, double> Scores,
        double Fitness,
        string Phenotype,
        double Seconds
    );

    sealed record OldSummary(
        int Generation,
        long Evaluations,
        double Best,
        double Mean,
        double BestSoFar,
        double? Sigma,
        double[]? MeanGenome
    );

    sealed record OldCheckpoint(
        int Generation,
        long Evaluations,
        CmaEsState? Cma,
        Nsga2State? Nsga2,
        RngState Rng,
        int LogLines,
        double[]? BestGenome,
        double BestFitness,
        double Seconds
    );

    [Fact]
    public void Run_files_are_byte_identical_to_the_array_and_dictionary_records()
    {
        using var temp = new TempFolder();
        var folder = new RunFolder(temp.Path);
        var lines = new JsonSerializerOptions
        {
            WriteIndented = false,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        };
        // Keys keep their case (no dictionary key policy) and their order.
        var scores = new Dictionary<string, double> { ["ja_math"] = 0.1 + 0.2, ["EnMath"] = 1 };
        folder.AppendLog([
            new RunLogEntry(
                0,
                1,
                ValueArray.Of(0.5, -1e-300),
                scores.ToValueMap(),
                0.3,
                "a: 1\n",
                1.5
            ),
        ]);
        var oldLog = JsonSerializer.Serialize(
            new OldLogEntry(0, 1, [0.5, -1e-300], scores, 0.3, "a: 1\n", 1.5),
            lines
        );
        Assert.Equal(oldLog + "\n", File.ReadAllText(folder.Log));
        Assert.Equal(
            """{"generation":0,"index":1,"genome":[0.5,-1E-300],"scores":{"ja_math":0.30000000000000004,"EnMath":1},"fitness":0.3,"phenotype":"a: 1\n","seconds":1.5}""",
            oldLog
        );

        folder.AppendGeneration(new GenerationSummary(0, 8, 0.5, 0.25, 0.5, null, null));
        folder.AppendGeneration(
            new GenerationSummary(1, 16, 0.5, 0.25, 0.5, 0.3, ValueArray.Of(0.1, 0.2))
        );
        Assert.Equal(
            JsonSerializer.Serialize(new OldSummary(0, 8, 0.5, 0.25, 0.5, null, null), lines)
                + "\n"
                + JsonSerializer.Serialize(
                    new OldSummary(1, 16, 0.5, 0.25, 0.5, 0.3, [0.1, 0.2]),
                    lines
                )
                + "\n",
            File.ReadAllText(folder.Generations)
        );

        var cma = CmaEs.Start(CmaEsParameters.Create(2, new CmaEsOptions()), [0.5, 0.5], 0.3);
        var rng = new RngState(1, 2, 3, 4, 0.25);
        foreach (var best in new[] { null, ValueArray.Of(0.5, 0.75) })
        {
            folder.SaveCheckpoint(new RunCheckpoint(1, 8, cma, null, rng, 8, best, 0.5, 2.5));
            Assert.Equal(
                OptimizerJson.Serialize(
                    new OldCheckpoint(1, 8, cma, null, rng, 8, best?.ToArray(), 0.5, 2.5)
                ),
                File.ReadAllText(folder.Checkpoint)
            );
            Assert.Equal(best, folder.LoadCheckpoint()!.BestGenome);
        }

        Assert.Equal(scores.ToValueMap(), folder.ReadLog().Single().Scores);
        Assert.Equal(["ja_math", "EnMath"], folder.ReadLog().Single().Scores.Keys);
        Assert.Equal(ValueArray.Of(0.1, 0.2), folder.ReadGenerations()[1].MeanGenome);
    }

    static ValueMap<string, double> Scores(string task, double score) =>
        new Dictionary<string, double> { [task] = score }.ToValueMap();
}
