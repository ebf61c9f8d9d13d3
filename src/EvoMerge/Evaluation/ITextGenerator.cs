using EvoMerge.Models;

namespace EvoMerge.Evaluation;

/// <summary>
/// The model seam for generation tasks: a merged model, a routed DFS path or a fake all look alike here.
/// </summary>
public interface ITextGenerator
{
    /// <summary>
    /// Greedy continuations of a batch of prompts, in prompt order, without the prompt itself. An
    /// implementation may stop early at a stop string or end-of-sequence, and may leave the stop
    /// string in its output (the evaluator cuts at the first one).
    /// </summary>
    IReadOnlyList<string> Generate(IReadOnlyList<string> prompts, GenerationOptions options);
}
