using EvoMerge.Models;

namespace EvoMerge.Evaluation;

/// <summary>
/// Everything that defines one evaluation except the model: numbers, names and texts only, so it can
/// be logged, compared, or sent to another machine that owns the model.
/// </summary>
/// <param name="Tasks">The items to answer.</param>
/// <param name="Template">How a question becomes a prompt.</param>
/// <param name="Metric">How an answer is scored.</param>
/// <param name="Generation">Token budget and stop strings.</param>
/// <param name="BatchSize">Prompts per <see cref="ITextGenerator.Generate"/> call.</param>
public sealed record EvaluationRequest(
    TaskSet Tasks,
    PromptTemplate Template,
    TaskMetric Metric,
    GenerationOptions Generation,
    int BatchSize
);
