using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Common;
using EvoMerge.Evaluation;
using EvoMerge.Evolution.Genomes;
using EvoMerge.Evolution.Optimizers;
using EvoMerge.Merging;
using EvoMerge.Models;
using EvoMerge.Recipes;
using static TorchSharp.torch;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// PS candidates: every source is loaded onto the device once; each genome decodes to a recipe of
/// the configured method (DARE-TIES by default; see <see cref="PsGene.For"/>) that is merged in place into one live model (no disk round trip, no per-candidate
/// allocation of full-size tensors), which is then scored.
/// </summary>
public sealed class PsGenomeEvaluator : IGenomeEvaluator
{
    readonly Dictionary<string, IReadOnlyDictionary<string, Tensor>> _sources = [];
    readonly Dictionary<string, string> _folders = [];
    readonly CausalLanguageModel _model;
    readonly InMemoryMerger _merger;
    readonly TaskScorer _scorer;
    readonly IReadOnlyList<FitnessTask> _fitness;
    readonly long _seed;

    public PsGenomeEvaluator(ExperimentConfig config, Device device)
    {
        var names = ModelNames.From([config.BaseModel!, .. config.Sources]);
        Space = new PsSpace(
            names[0],
            names.Skip(1).ToValueArray(),
            config.LayerGroups,
            config.Method
        );
        _fitness = config.Fitness;
        _seed = (long)config.Seed;
        foreach (var (name, folder) in names.Zip([config.BaseModel!, .. config.Sources]))
        {
            _folders[name] = folder;
            using var reader = CheckpointReader.Open(folder);
            _sources[name] = reader.Names.ToDictionary(
                n => n,
                n => reader.Load(n, device, ScalarType.Float32).DetachFromDisposeScope()
            );
        }
        _model = CausalLanguageModel.FromPretrained(config.BaseModel!, device, ScalarType.Float32);
        var target = _model.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
        _merger = new InMemoryMerger(_sources, target, new MergeOptions(device, _seed));
        // A method that cannot take these sources (slerp with three models, ...) fails here, before the run.
        try
        {
            _merger.Plan(Space.Uniform());
        }
        catch
        {
            Dispose();
            throw;
        }
        _scorer = new TaskScorer(TokenizerLoader.Load(config.BaseModel!));
    }

    /// <summary>The search space (gene names, decoder, the untuned baseline).</summary>
    public PsSpace Space { get; }

    public int Dimension => Space.Dimension;

    public IReadOnlyList<double> InitialGenome => Space.InitialGenome();

    public BoxBounds? Bounds => BoxBounds.Uniform(Dimension, 0, 1);

    public string BestFileName => "best.yaml";

    /// <summary>The merged model of the last genome evaluated (for callers that keep using it).</summary>
    public CausalLanguageModel Model => _model;

    public GenomeEvaluation Evaluate(IReadOnlyList<double> genome)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        MergeInto(genome);
        var scores = _fitness.Select(t => _scorer.Score(_model, t).Accuracy).ToValueArray();
        return new GenomeEvaluation(scores, Describe(genome), clock.Elapsed.TotalSeconds);
    }

    public EvaluationResult Score(IReadOnlyList<double> genome, FitnessTask task)
    {
        MergeInto(genome);
        return _scorer.Score(_model, task);
    }

    /// <summary>Scores a recipe over the loaded sources (e.g. the untuned TIES / DARE-TIES baselines).</summary>
    public EvaluationResult Score(MergeRecipe recipe, FitnessTask task)
    {
        _merger.Merge(recipe, _seed);
        return _scorer.Score(_model, task);
    }

    /// <summary>Merges the recipe a genome decodes to into the live model.</summary>
    public void MergeInto(IReadOnlyList<double> genome) =>
        _merger.Merge(Space.Decode(genome), _seed);

    /// <summary>The recipe as mergekit YAML with model names replaced by their folders.</summary>
    public string Describe(IReadOnlyList<double> genome) =>
        RecipeYaml.Write(WithFolders(Space.Decode(genome)));

    /// <summary>The recipe with model names replaced by their folders (so mergekit or `evomerge merge` can run it).</summary>
    public MergeRecipe WithFolders(MergeRecipe recipe) =>
        recipe with
        {
            BaseModel = recipe.BaseModel is null ? null : _folders[recipe.BaseModel],
            Models = recipe.Models.Select(m => m with { Model = _folders[m.Model] }).ToValueArray(),
        };

    public void Dispose()
    {
        _merger.Dispose();
        _model.Dispose();
        foreach (var tensors in _sources.Values)
        foreach (var tensor in tensors.Values)
            tensor.Dispose();
    }
}
