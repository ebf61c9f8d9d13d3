using System.Diagnostics;
using EvoMerge.Common;
using EvoMerge.Models;

namespace EvoMerge.Evaluation;

/// <summary>
/// Runs a task through a generator in batches and scores every answer. A pure request → result
/// step: the generator is the only thing with state, so an engine that distributes candidates over
/// machines can call this unchanged.
/// </summary>
public static class Evaluator
{
    /// <summary>Evaluates <paramref name="generator"/> on a request.</summary>
    /// <param name="generator">The model under test.</param>
    /// <param name="request">Task, template, metric, generation options and batch size.</param>
    /// <param name="progress">Receives the number of items done after each batch.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    public static EvaluationResult Evaluate(
        ITextGenerator generator,
        EvaluationRequest request,
        IProgress<int>? progress = null,
        CancellationToken cancellationToken = default
    )
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(request);
        if (request.BatchSize < 1)
            throw new ArgumentOutOfRangeException(
                nameof(request),
                request.BatchSize,
                "BatchSize must be >= 1"
            );
        var items = request.Tasks.Items;
        if (items.Count == 0)
            throw new ArgumentException(
                $"Task set '{request.Tasks.Name}' ({request.Tasks.Split}) has no items.",
                nameof(request)
            );
        var clock = Stopwatch.StartNew();
        var results = new List<EvaluatedItem>(items.Count);
        for (var start = 0; start < items.Count; start += request.BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = Math.Min(request.BatchSize, items.Count - start);
            var prompts = new string[count];
            for (var k = 0; k < count; k++)
                prompts[k] = request.Template.Render(items[start + k].Question);
            var outputs = generator.Generate(prompts, request.Generation);
            if (outputs.Count != count)
                throw new InvalidOperationException(
                    $"The generator returned {outputs.Count} outputs for {count} prompts."
                );
            for (var k = 0; k < count; k++)
                results.Add(
                    Score(
                        start + k,
                        items[start + k],
                        prompts[k],
                        outputs[k],
                        request.Metric,
                        request.Generation
                    )
                );
            progress?.Report(results.Count);
        }
        return new EvaluationResult(
            request.Tasks.Name,
            request.Tasks.Split,
            request.Metric.Name,
            new ValueArray<EvaluatedItem>(results),
            results.Average(r => r.Score),
            clock.Elapsed.TotalSeconds
        );
    }

    /// <summary>The same, with the request's parts as arguments.</summary>
    public static EvaluationResult Evaluate(
        ITextGenerator generator,
        TaskSet tasks,
        PromptTemplate template,
        TaskMetric metric,
        GenerationOptions options,
        int batchSize
    ) => Evaluate(generator, new EvaluationRequest(tasks, template, metric, options, batchSize));

    /// <summary>Scores one continuation (cut at the stop strings first).</summary>
    public static EvaluatedItem Score(
        int index,
        TaskItem item,
        string prompt,
        string output,
        TaskMetric metric,
        GenerationOptions options
    )
    {
        var answer = AnswerText.Cut(output, options.StopStrings);
        var gold = item.GoldNumber;
        var predicted = Numbers.Last(answer);
        var correct = gold is not null && predicted == gold;
        var share = JapaneseScript.Share(answer);
        var threshold = metric is TaskMetric.NumberExactMatchInJapanese j
            ? j.Threshold
            : JapaneseScript.DefaultThreshold;
        var inLanguage = share > threshold;
        var score = metric switch
        {
            TaskMetric.NumberExactMatch => correct ? 1.0 : 0.0,
            TaskMetric.NumberExactMatchInJapanese => correct && inLanguage ? 1.0 : 0.0,
            TaskMetric.RougeLF => RougeL.F(answer, item.Answer),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
        };
        return new EvaluatedItem(
            index,
            prompt,
            output,
            answer,
            gold,
            predicted,
            correct,
            share,
            inLanguage,
            score
        );
    }
}
