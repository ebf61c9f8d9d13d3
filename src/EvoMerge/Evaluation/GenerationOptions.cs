namespace EvoMerge.Evaluation;

/// <summary>How a generator continues a prompt: greedy decoding up to a token budget or a stop string.</summary>
/// <param name="MaxNewTokens">The most tokens generated per prompt.</param>
/// <param name="StopStrings">Generation may end at the first of these; the evaluator cuts there anyway.</param>
public sealed record GenerationOptions(int MaxNewTokens, ValueArray<string> StopStrings)
{
    /// <summary>
    /// 64 new tokens; stop at a blank line or where the model starts a new question in any of the
    /// zoo's formats (<c>問題:</c>, <c>Question:</c>, <c>Q:</c>).
    /// </summary>
    public static GenerationOptions Default { get; } =
        new(64, new[] { "\n\n", "問題:", "Question:", "Q:" });
}
