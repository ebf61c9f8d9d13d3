using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Reports;
using EvoMerge.Evolution.Runs;
using EvoMerge.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Zoo;

/// <summary>
/// The paper's effect on the shipped zoo, small enough for CI: a short PS search on training items,
/// then every entry of the main job's table on the validation split. The evolved merge has to beat
/// each source and both untuned merges there (items it never saw during the search).
/// </summary>
public sealed class ShippedZooEffectTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-effect-").FullName;
    static readonly string Zoo = Path.Combine(Fixtures.RepoRoot, "data", "zoo");
    static readonly string Tasks = Path.Combine(Fixtures.RepoRoot, "data", "tasks");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_short_ps_search_beats_every_source_and_untuned_merge_on_validation()
    {
        var file = Path.Combine(_dir, "effect.yaml");
        File.WriteAllText(
            file,
            $"""
            name: effect
            mode: ps
            seed: 1
            device: cpu
            budget: 27
            sigma: 0.1667
            base_model: {Zoo}/base
            sources: [{Zoo}/ja, {Zoo}/math-a, {Zoo}/math-b]
            method: dare_ties
            fitness:
              - task: {Tasks}/ja_math_train.jsonl
                limit: 200
                prompt: "問題: {"{question}"}\n答え:"
                metric: ja-exact-match
                max_new_tokens: 40
                batch_size: 100
            validation:
              task: {Tasks}/ja_math_validation.jsonl
              prompt: "問題: {"{question}"}\n答え:"
              metric: ja-exact-match
              max_new_tokens: 40
              batch_size: 100
            """
        );
        var config = ExperimentConfigLoader.Load(file);
        var folder = new RunFolder(Path.Combine(_dir, "runs", config.Name));
        using var evaluator = (PsGenomeEvaluator)CandidateEvaluators.Create(config, CPU);
        var result = EvolutionRun.Run(config, evaluator, folder, resume: false);

        var rows = PsReport.Build(evaluator, result.BestGenome, config.Validation!);
        var evolved = rows.Single(r => r.Entry == "evolved PS");
        var others = rows.Where(r => r != evolved).ToList();
        Assert.Equal(5, others.Count);
        var best = others.MaxBy(r => r.Accuracy)!;
        // Validation items were never seen by the search; 5 points is 5 items of 100.
        Assert.True(
            evolved.Accuracy >= best.Accuracy + 0.05,
            $"evolved {evolved.Accuracy:P0} vs best other {best.Entry} {best.Accuracy:P0}: "
                + string.Join(", ", rows.Select(r => $"{r.Entry} {r.Accuracy:P0}"))
        );
    }
}
