using EvoMerge.Common;

namespace EvoMerge.Models;

/// <summary>
/// How to continue prompts. Defaults: greedy, KV cache, stop on the model's EOS ids. The one options
/// type of generation, from <see cref="Generation.Generate"/> to the evaluator's text generators
/// (<see cref="Evaluation.ITextGenerator"/>) and the requests they are sent.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>
    /// How the evaluator answers a question: greedy, 64 new tokens; the answer ends at a blank line or
    /// where the model starts a new question in any of the zoo's formats (<c>問題:</c>, <c>Question:</c>, <c>Q:</c>).
    /// </summary>
    public static GenerationOptions Answer { get; } =
        new() { StopStrings = new[] { "\n\n", "問題:", "Question:", "Q:" } };

    /// <summary>New tokens per row at most.</summary>
    public int MaxNewTokens { get; init; } = 64;

    /// <summary>0 = greedy (argmax); otherwise logits are divided by it and sampled.</summary>
    public double Temperature { get; init; }

    /// <summary>Nucleus sampling: keep the smallest set of top tokens whose probability reaches this (1 = all).</summary>
    public double TopP { get; init; } = 1.0;

    /// <summary>Seed of the sampling generator (sampling only).</summary>
    public ulong Seed { get; init; }

    /// <summary>false = recompute the whole sequence every step (a reference for the cached path).</summary>
    public bool UseCache { get; init; } = true;

    /// <summary>
    /// Steps between checks that every row has finished. The check reads one bool back from the device
    /// (a host sync); everything else (argmax, EOS test, bookkeeping) stays on the device.
    /// </summary>
    public int FinishedCheckInterval { get; init; } = 8;

    /// <summary>Stop ids; null = the model's EOS ids; empty = never stop early.</summary>
    public ValueArray<int>? EosTokenIds { get; init; }

    /// <summary>
    /// Text that ends an answer: the evaluator cuts each continuation at the first of these
    /// (<see cref="Evaluation.AnswerText"/>). Token-level decoding does not look at them, so a
    /// continuation may run past one until EOS or the token budget.
    /// </summary>
    public ValueArray<string> StopStrings { get; init; } = ValueArray<string>.Empty;
}
