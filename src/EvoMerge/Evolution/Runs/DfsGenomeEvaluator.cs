using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Evaluation;
using EvoMerge.Evolution.Genomes;
using EvoMerge.Evolution.Optimizers;
using EvoMerge.Merging;
using EvoMerge.Models;
using EvoMerge.Recipes;
using EvoMerge.Routing;
using static TorchSharp.torch;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// DFS candidates: models A and B are loaded once; each genome decodes to a layer path that a
/// <see cref="Router"/> runs over their layers (weights untouched). For PS+DFS, model A is first
/// merged from the PS recipe into <c>model-a/</c> in the run folder (the PS result becomes A).
/// </summary>
public sealed class DfsGenomeEvaluator : IGenomeEvaluator
{
    readonly Dictionary<string, CausalLanguageModel> _models = new(StringComparer.Ordinal);
    readonly TaskScorer _scorer;
    readonly IReadOnlyList<FitnessTask> _fitness;
    readonly double _initialOff;

    public DfsGenomeEvaluator(ExperimentConfig config, Device device, string runFolder)
    {
        var folderA = config.ModelA!;
        if (config.Mode == SearchMode.PsDfs)
        {
            folderA = Path.Combine(runFolder, "model-a");
            if (!Directory.Exists(folderA))
                MergeExecutor.Run(
                    RecipeYaml.Load(config.ModelA!),
                    folderA,
                    new MergeOptions(CPU, (long)config.Seed)
                );
        }
        var names = ModelNames.From([folderA, config.ModelB!]);
        _models[names[0]] = CausalLanguageModel.FromPretrained(folderA, device, ScalarType.Float32);
        _models[names[1]] = CausalLanguageModel.FromPretrained(
            config.ModelB!,
            device,
            ScalarType.Float32
        );
        Space = new DfsSpace(
            names[0],
            _models[names[0]].Layers.Count,
            names[1],
            _models[names[1]].Layers.Count,
            config.Repeats,
            config.EvolveScales
        );
        _fitness = config.Fitness;
        _initialOff = config.InitialOff;
        _scorer = new TaskScorer(TokenizerLoader.Load(folderA));
    }

    /// <summary>The search space (decoder, slot layout).</summary>
    public DfsSpace Space { get; }

    public int Dimension => Space.Dimension;

    public IReadOnlyList<double> InitialGenome => Space.InitialGenome(on: 1.0, off: _initialOff);

    public BoxBounds? Bounds => null;

    public string BestFileName => "best-path.json";

    /// <summary>A router for a genome's path.</summary>
    public Router RouterFor(IReadOnlyList<double> genome) =>
        new(_models, Space.Decode(genome), Space.ModelA);

    public GenomeEvaluation Evaluate(IReadOnlyList<double> genome)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var router = RouterFor(genome);
        var scores = _fitness.Select(t => _scorer.Score(router, t).Accuracy).ToArray();
        return new GenomeEvaluation(scores, router.Path.ToJson(), clock.Elapsed.TotalSeconds);
    }

    public EvaluationResult Score(IReadOnlyList<double> genome, FitnessTask task) =>
        _scorer.Score(RouterFor(genome), task);

    /// <summary>Scores one of the loaded models on its own.</summary>
    public EvaluationResult ScoreModel(string name, FitnessTask task) =>
        _scorer.Score(_models[name], task);

    public string Describe(IReadOnlyList<double> genome) => Space.Decode(genome).ToJson();

    public void Dispose()
    {
        foreach (var model in _models.Values)
            model.Dispose();
    }
}
