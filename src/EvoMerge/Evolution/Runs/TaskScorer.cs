using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Evaluation;
using EvoMerge.Models;

namespace EvoMerge.Evolution.Runs;

/// <summary>Scores any causal LM (plain, merged in memory, or routed) on a task: loads each task file once.</summary>
public sealed class TaskScorer(TextTokenizer tokenizer)
{
    readonly Dictionary<FitnessTask, TaskSet> _sets = [];

    /// <summary>The items a task uses (the first <see cref="FitnessTask.Limit"/>).</summary>
    public TaskSet Items(FitnessTask task)
    {
        if (!_sets.TryGetValue(task, out var set))
        {
            set = TaskSetLoader.Load(task.File);
            if (task.Limit > 0)
                set = set.Take(task.Limit);
            _sets[task] = set;
        }
        return set;
    }

    public EvaluationResult Score(ICausalLanguageModel model, FitnessTask task) =>
        Evaluator.Evaluate(
            new ModelTextGenerator(model, tokenizer),
            Items(task),
            new PromptTemplate(task.Prompt),
            TaskMetric.Parse(task.Metric),
            GenerationOptions.Answer with
            {
                MaxNewTokens = task.MaxNewTokens,
            },
            task.BatchSize
        );
}
