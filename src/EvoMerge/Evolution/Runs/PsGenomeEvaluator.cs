using EvoMerge.Checkpoints.Safetensors;
using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Common;
using EvoMerge.Evaluation;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Genomes;
using EvoMerge.Evolution.Optimizers;
using EvoMerge.Evolution.Reports;
using EvoMerge.Merging;
using EvoMerge.Models;
using EvoMerge.Recipes;
using static TorchSharp.torch;

namespace EvoMerge.Evolution.Runs;

/// <summary>
/// PS candidates: every source is loaded onto the device once; each genome decodes to a recipe of
/// the configured method (DARE-TIES by default; see <see cref="PsGene.For"/>) that is merged in place into one live model (no disk round trip, no per-candidate
/// allocation of full-size tensors), which is then scored. A merge overwrites every parameter, so a
/// candidate's score does not depend on what was scored before (a worker may get any candidates).
/// </summary>
public sealed class PsGenomeEvaluator : IGenomeEvaluator
{
    readonly Dictionary<string, IReadOnlyDictionary<string, Tensor>> _sources = [];
    readonly CausalLanguageModel _model;
    readonly InMemoryMerger _merger;
    readonly TaskScorer _scorer;
    readonly long _seed;

    public PsGenomeEvaluator(ExperimentConfig config, Device device)
    {
        Genomes = (PsGenomeSpace)GenomeSpaces.Create(config);
        _seed = (long)config.Seed;
        foreach (var (name, folder) in Genomes.Names.Zip(Genomes.Folders))
        {
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

    /// <summary>The pure space (decoder with the model folders).</summary>
    public PsGenomeSpace Genomes { get; }

    IGenomeSpace ICandidateEvaluator.Space => Genomes;

    /// <summary>The search space (gene names, decoder, the untuned baseline).</summary>
    public PsSpace Space => Genomes.Space;

    public IReadOnlyList<CandidateResult> Evaluate(
        IReadOnlyList<CandidateRequest> batch,
        IProgress<CandidateResult>? progress = null,
        CancellationToken cancellation = default
    ) =>
        CandidateEvaluators.Sequential(
            batch,
            r =>
            {
                _merger.Merge(Space.Decode(r.Genome), r.Seed);
                return r.Tasks.Select(t => _scorer.Score(_model, t).Accuracy).ToArray();
            },
            CandidateEvaluators.InProcess,
            progress,
            cancellation
        );

    public EvaluationResult Score(Phenotype phenotype, FitnessTask task) =>
        phenotype switch
        {
            MergePhenotype merge => Score(merge.Recipe, task),
            ModelPhenotype model => Score(PsReport.Single(model.Model), task),
            _ => throw new ArgumentException(
                $"a PS evaluator scores recipes and models, not {phenotype.GetType().Name}"
            ),
        };

    /// <summary>Scores a recipe over the loaded sources (e.g. the untuned TIES / DARE-TIES baselines).</summary>
    EvaluationResult Score(MergeRecipe recipe, FitnessTask task)
    {
        _merger.Merge(recipe, _seed);
        return _scorer.Score(_model, task);
    }

    public void Dispose()
    {
        _merger.Dispose();
        _model.Dispose();
        foreach (var tensors in _sources.Values)
        foreach (var tensor in tensors.Values)
            tensor.Dispose();
    }
}
