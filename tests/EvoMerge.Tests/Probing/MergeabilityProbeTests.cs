using System.Reflection;
using System.Text.Json;
using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Evolution.Runs;
using EvoMerge.Probing;
using EvoMerge.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Probing;

/// <summary>The probe on the shipped zoo's real checkpoints, with a few items per task.</summary>
public sealed class MergeabilityProbeTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-probe-").FullName;
    static readonly string Zoo = Path.Combine(Fixtures.RepoRoot, "data", "zoo");
    static readonly string Tasks = Path.Combine(Fixtures.RepoRoot, "data", "tasks");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    string Config()
    {
        var path = Path.Combine(_dir, "probe.yaml");
        File.WriteAllText(
            path,
            $"""
            name: tiny
            mode: ps
            device: cpu
            base_model: {Zoo}/base
            sources: [{Zoo}/ja, {Zoo}/math-a]
            fitness:
              - task: {Tasks}/ja_math_train.jsonl
                limit: 2
                prompt: "問題: {"{question}"}\n答え:"
                metric: ja-exact-match
            validation:
              task: {Tasks}/ja_math_validation.jsonl
              limit: 6
              prompt: "問題: {"{question}"}\n答え:"
              metric: ja-exact-match
              max_new_tokens: 24
            held_in:
              - ~
              - task: {Tasks}/en_math_a.jsonl
                limit: 6
                prompt: "Question: {"{question}"}\nAnswer:"
                metric: exact-match
                max_new_tokens: 16
            """
        );
        return path;
    }

    [Fact]
    public void Geometry_matches_a_direct_computation_and_scores_are_consistent()
    {
        var report = MergeabilityProbe.Run(ExperimentConfigLoader.Load(Config()), CPU);
        Assert.Equal(["ja", "math-a"], report.Sources);
        Assert.Equal(["ja·math-a"], report.Pairs);
        Assert.Equal(
            [.. Enumerable.Range(0, 6).Select(i => $"layer {i}"), "other", "all"],
            report.Layers.Select(l => l.Group)
        );

        // ‖τ‖/‖base‖ and the cosine of one tensor group, recomputed here from the files.
        var (ratio, cosine) = Direct("model.layers.3.");
        var layer3 = report.Layers.Single(l => l.Group == "layer 3");
        Assert.Equal(ratio, layer3.NormRatios[1], 6);
        Assert.Equal(cosine, layer3.Cosines[0], 6);
        Assert.All(report.Layers, l => Assert.InRange(l.Cosines[0], -1, 1));
        Assert.All(report.Layers, l => Assert.All(l.NormRatios, r => Assert.True(r > 0)));

        // λ = 1 is the source itself, on its held-in task; λ = 0 is the base.
        var scale = report.Scores.Where(s => s.Kind == "scale").ToList();
        Assert.Equal(MergeabilityProbe.Scales.Count, scale.Count);
        Assert.All(scale, s => Assert.Equal("math-a held-in", s.Task));
        var own = scale.Single(s => s.Entry == "math-a λ=1").Accuracy;
        Assert.Single(report.Scores, s => s.Kind == "dare");
        var pair = report.Scores.Where(s => s.Kind == "pair").ToList();
        Assert.Equal(2, pair.Count); // TIES and DARE-TIES, scored on math-a's task (JA has none)
        Assert.All(pair, p => Assert.Equal(own > 0 ? p.Accuracy / own : null, p.Retention));
        // The target: 2 sources + TIES and DARE-TIES of the one pair, 6 items each.
        var target = report.Scores.Where(s => s.Kind == "target").ToList();
        Assert.Equal(
            ["ja", "math-a", "TIES(ja, math-a)", "DARE-TIES(ja, math-a)"],
            target.Select(t => t.Entry)
        );
        Assert.All(target, t => Assert.Equal(6, t.Items));
    }

    (double Ratio, double Cosine) Direct(string prefix)
    {
        using var b = CheckpointReader.Open(Path.Combine(Zoo, "base"));
        using var ja = CheckpointReader.Open(Path.Combine(Zoo, "ja"));
        using var math = CheckpointReader.Open(Path.Combine(Zoo, "math-a"));
        double bb = 0,
            mm = 0,
            jj = 0,
            jm = 0;
        foreach (var name in b.Names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            using var scope = NewDisposeScope();
            var x = b.Load(name, CPU, ScalarType.Float64);
            var tj = ja.Load(name, CPU, ScalarType.Float64) - x;
            var tm = math.Load(name, CPU, ScalarType.Float64) - x;
            bb += x.square().sum().item<double>();
            mm += tm.square().sum().item<double>();
            jj += tj.square().sum().item<double>();
            jm += (tj * tm).sum().item<double>();
        }
        return (Math.Sqrt(mm / bb), jm / Math.Sqrt(jj * mm));
    }

    [Fact]
    public void Cli_writes_the_report_as_json()
    {
        var runs = Path.Combine(_dir, "runs");
        var entry = Assembly.Load("EvoMerge.Cli").EntryPoint!;
        var code = entry.Invoke(null, [new[] { "probe", Config(), "--runs", runs }]);
        Assert.Equal(0, code);
        var json = File.ReadAllText(Path.Combine(runs, "tiny-probe", "probe.json"));
        var report = JsonSerializer.Deserialize<ProbeReport>(json)!;
        Assert.Equal(8, report.Layers.Count);
        Assert.Contains(report.Scores, s => s.Entry == "math-a DARE 90 %");
    }

    [Fact]
    public void A_source_that_is_not_a_fine_tune_of_the_base_is_named()
    {
        var stranger = Path.Combine(_dir, "stranger");
        Directory.CreateDirectory(stranger);
        foreach (var file in Directory.GetFiles(Fixtures.Path("merges/llama-family/model_a")))
            File.Copy(file, Path.Combine(stranger, Path.GetFileName(file)));
        var e = Assert.Throws<SafetensorsException>(() =>
            TaskVectorStats.Compute(Path.Combine(Zoo, "base"), [stranger], CPU)
        );
        Assert.Contains(stranger, e.Message);
    }
}
