using System.Text.Json;
using EvoMerge.Common;
using EvoMerge.Common.Random;
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

    // What RunLogEntry was before it wrapped its collections: log.jsonl must not change.
    sealed record OldLogEntry(
        int Generation,
        int Index,
        double[] Genome,
        Dictionary<string, double> Scores,
        double Fitness,
        string Phenotype,
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
            """
            {"generation":0,"evaluations":8,"best":0.5,"mean":0.25,"best_so_far":0.5,"sigma":null,"mean_genome":null}
            {"generation":1,"evaluations":16,"best":0.5,"mean":0.25,"best_so_far":0.5,"sigma":0.3,"mean_genome":[0.1,0.2]}

            """,
            File.ReadAllText(folder.Generations)
        );

        // optimizer.json: web defaults, indented (the optimizer states inside were ValueArrays already).
        var rng = new RngState(1, 2, 3, 4, 0.25);
        folder.SaveCheckpoint(
            new RunCheckpoint(1, 8, null, null, rng, 8, ValueArray.Of(0.5, 0.75), 0.5, 2.5)
        );
        Assert.Equal(
            """
            {
              "generation": 1,
              "evaluations": 8,
              "cma": null,
              "nsga2": null,
              "rng": {
                "s0": 1,
                "s1": 2,
                "s2": 3,
                "s3": 4,
                "spareNormal": 0.25
              },
              "logLines": 8,
              "bestGenome": [
                0.5,
                0.75
              ],
              "bestFitness": 0.5,
              "seconds": 2.5
            }
            """.ReplaceLineEndings("\n"),
            File.ReadAllText(folder.Checkpoint)
        );
        Assert.Equal(ValueArray.Of(0.5, 0.75), folder.LoadCheckpoint()!.BestGenome);
        folder.SaveCheckpoint(new RunCheckpoint(1, 8, null, null, rng, 8, null, 0.5, 2.5));
        Assert.Contains("\"bestGenome\": null,", File.ReadAllText(folder.Checkpoint));
        Assert.Null(folder.LoadCheckpoint()!.BestGenome);

        Assert.Equal(scores.ToValueMap(), folder.ReadLog().Single().Scores);
        Assert.Equal(["ja_math", "EnMath"], folder.ReadLog().Single().Scores.Keys);
        Assert.Equal(ValueArray.Of(0.1, 0.2), folder.ReadGenerations()[1].MeanGenome);
    }

    static ValueMap<string, double> Scores(string task, double score) =>
        new Dictionary<string, double> { [task] = score }.ToValueMap();
}
