using EvoMerge.Cli.Commands;
using EvoMerge.Common;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Runs;
using EvoMerge.Recipes;
using EvoMerge.Tests.Support;
using Xunit;
using static TorchSharp.torch;

namespace EvoMerge.Tests.Evolution;

/// <summary>
/// A PS search with a new method runs end to end on the shipped zoo (data/zoo) with a tiny budget
/// (6 evaluations, 8 fitness items): the genes are the method's own, and the best recipe is mergekit
/// YAML that `evomerge merge` runs.
/// </summary>
public sealed class AnyMethodPsSearchTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("evomerge-anymethod-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    static string Data(string relative) => Path.Combine(Fixtures.RepoRoot, "data", relative);

    [Theory]
    [InlineData("sce", "select_topk")]
    [InlineData("ramplus_tl", "alpha")]
    public void Search_evolves_the_methods_genes_and_its_best_recipe_merges(
        string method,
        string gene
    )
    {
        var configFile = Path.Combine(_dir, method + ".yaml");
        File.WriteAllText(
            configFile,
            $"""
            name: {method}
            mode: ps
            seed: 1
            device: cpu
            budget: 6
            population: 3
            base_model: {Data("zoo/base")}
            sources: [{Data("zoo/ja")}, {Data("zoo/math-a")}, {Data("zoo/math-b")}]
            method: {method}
            fitness:
              - task: {Data("tasks/ja_math_train.jsonl")}
                limit: 8
                prompt: "問題: {"{question}"}\n答え:"
                metric: ja-exact-match
                max_new_tokens: 24
                batch_size: 8
            """
        );
        var config = ExperimentConfigLoader.Load(configFile);
        var folder = new RunFolder(Path.Combine(_dir, "runs", method));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        RunResult result;
        using (var evaluator = CandidateEvaluators.Create(config, CPU))
        {
            var space = ((PsGenomeEvaluator)evaluator).Space;
            Assert.Contains(gene, space.GeneNames());
            result = EvolutionRun.Run(config, evaluator, folder, false, null, default);
        }
        Assert.Equal(6, result.Evaluations);
        var log = folder.ReadLog();
        Assert.Equal(6, log.Count);
        Assert.All(log, e => Assert.InRange(e.Fitness, 0, 1));
        var best = File.ReadAllText(folder.File("best.yaml"));
        Assert.Contains($"merge_method: {method}", best);
        Assert.Contains(gene.Split('.')[^1] + ":", best);
        // The best recipe (model folders absolute) merges as it is.
        var output = Path.Combine(_dir, "merged-" + method);
        Assert.Equal(0, MergeCommand.Run(folder.File("best.yaml"), output, "cpu", 0, "5GB", false));
        Assert.True(File.Exists(Path.Combine(output, "model.safetensors")));
        Console.WriteLine(
            $"{method}: 6 evaluations in {clock.Elapsed.TotalSeconds:F1} s, best {result.BestFitness:F3}"
        );
    }

    [Fact]
    public void A_method_with_nothing_to_evolve_is_refused_when_the_config_loads()
    {
        var configFile = Path.Combine(_dir, "karcher.yaml");
        File.WriteAllText(
            configFile,
            $"""
            mode: ps
            base_model: {Data("zoo/base")}
            sources: [{Data("zoo/ja")}, {Data("zoo/math-a")}]
            method: karcher
            fitness:
              - task: {Data("tasks/ja_math_train.jsonl")}
                prompt: "{"{question}"}"
            """
        );
        var error = Assert.Throws<ExperimentConfigException>(() =>
            ExperimentConfigLoader.Load(configFile)
        );
        Assert.Contains("'method': method 'karcher' has no parameter to evolve", error.Message);
        Assert.Contains("karcher.yaml", error.Message);
    }
}
