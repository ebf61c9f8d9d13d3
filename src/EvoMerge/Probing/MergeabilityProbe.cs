using EvoMerge.Common;
using EvoMerge.Evaluation;
using EvoMerge.Evolution.Candidates;
using EvoMerge.Evolution.Reports;
using EvoMerge.Evolution.Runs;
using EvoMerge.Recipes;
using static TorchSharp.torch;

namespace EvoMerge.Probing;

/// <summary>
/// A pre-merge compatibility check of a PS config's sources (see <see cref="ProbeReport"/>). Every
/// merge runs in memory over the loaded sources, exactly as the search would run it.
/// </summary>
public static class MergeabilityProbe
{
    /// <summary>The scales λ of base + λ·τ.</summary>
    public static readonly IReadOnlyList<double> Scales = [0, 0.25, 0.5, 0.75, 1];

    /// <summary>The untuned merges (density 0.5, weight 1, normalize), as <see cref="PsReport.Untuned"/>.</summary>
    static readonly (string Label, string Method)[] UntunedMethods =
    [
        ("TIES", "ties"),
        ("DARE-TIES", "dare_ties"),
    ];

    public static ProbeReport Run(
        ExperimentConfig config,
        Device device,
        IProgress<string>? progress = null
    )
    {
        if (config.BaseModel is null || config.Sources.Count == 0)
            throw new ExperimentConfigException(
                config.SourceFile ?? "config",
                "probe needs 'base_model' and 'sources'"
            );
        var clock = System.Diagnostics.Stopwatch.StartNew();
        progress?.Report("task vectors: norms and cosines per layer");
        var layers = TaskVectorStats.Compute(config.BaseModel, config.Sources, device);
        using var evaluator = new PsGenomeEvaluator(config, device);
        var space = evaluator.Space;
        var names = space.Sources;
        var pairs = TaskVectorStats.PairIndices(names.Count);
        var scores = new List<ProbeScore>();
        ProbeScore Score(
            string entry,
            string kind,
            string taskName,
            MergeRecipe recipe,
            FitnessTask task,
            double? own = null
        )
        {
            var r = evaluator.Score(new MergePhenotype(recipe), task);
            var score = new ProbeScore(
                entry,
                kind,
                taskName,
                r.Accuracy,
                r.CorrectCount,
                r.Items.Count,
                own is > 0 ? r.Accuracy / own : null
            );
            scores.Add(score);
            progress?.Report($"{entry} on {taskName}: {100 * r.Accuracy:F1} %");
            return score;
        }
        MergeRecipe Scaled(string source, double lambda) =>
            MergeRecipe.ForModels(
                "task_arithmetic",
                space.BaseModel,
                [new RecipeModel(source, ParameterMap.Of(("weight", ParameterValue.Of(lambda))))],
                ParameterMap.Of(("normalize", ParameterValue.Of(false)))
            );
        MergeRecipe Untuned(string method, IReadOnlyList<string> members)
        {
            var all = PsReport.Untuned(method, space);
            return all with
            {
                Models = all.Models.Where(m => members.Contains(m.Model)).ToValueArray(),
            };
        }

        // Each source alone on its held-in task, along base + λ·τ, and with 90 % of τ dropped.
        var own = new double?[names.Count];
        for (int i = 0; i < names.Count; i++)
        {
            if (HeldIn(config, i) is not { } task)
                continue;
            var taskName = $"{names[i]} held-in";
            foreach (var lambda in Scales)
            {
                var s = Score(
                    $"{names[i]} λ={lambda:0.##}",
                    "scale",
                    taskName,
                    Scaled(names[i], lambda),
                    task
                );
                if (lambda == 1)
                    own[i] = s.Accuracy;
            }
            Score(
                $"{names[i]} DARE 90 %",
                "dare",
                taskName,
                MergeRecipe.ForModels(
                    "dare_linear",
                    space.BaseModel,
                    [
                        new RecipeModel(
                            names[i],
                            ParameterMap.Of(
                                ("density", ParameterValue.Of(0.1)),
                                ("weight", ParameterValue.Of(1.0))
                            )
                        ),
                    ],
                    ParameterMap.Of(("normalize", ParameterValue.Of(false)))
                ),
                task
            );
        }

        // Every pair's untuned merges on each member's held-in task: how much of its skill survives.
        foreach (var (i, j) in pairs)
        foreach (var (label, method) in UntunedMethods)
        foreach (var member in new[] { i, j })
            if (HeldIn(config, member) is { } task)
                Score(
                    $"{label}({names[i]}, {names[j]})",
                    "pair",
                    $"{names[member]} held-in",
                    Untuned(method, [names[i], names[j]]),
                    task,
                    own[member]
                );

        // The target: each source, then the untuned merges of every pair and of all sources.
        if (config.Validation is { } target)
        {
            foreach (var name in names)
                Score(name, "target", target.Name, PsReport.Single(name), target);
            var groups = pairs
                .Select(p => (IReadOnlyList<string>)[names[p.I], names[p.J]])
                .ToList();
            if (names.Count > 2)
                groups.Add(names);
            foreach (var members in groups)
            foreach (var (label, method) in UntunedMethods)
                Score(
                    $"{label}({string.Join(", ", members)})",
                    "target",
                    target.Name,
                    Untuned(method, members),
                    target
                );
        }
        return new ProbeReport(
            config.BaseModel,
            names,
            pairs.Select(p => $"{names[p.I]}·{names[p.J]}").ToValueArray(),
            layers.ToValueArray(),
            scores.ToValueArray(),
            clock.Elapsed.TotalSeconds
        );
    }

    static FitnessTask? HeldIn(ExperimentConfig config, int source) =>
        source < config.HeldIn.Count ? config.HeldIn[source] : null;
}
