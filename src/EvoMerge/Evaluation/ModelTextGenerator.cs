using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Models;

namespace EvoMerge.Evaluation;

/// <summary>
/// The evaluator's generation seam over a real model (plain, merged in memory, or a DFS router):
/// prompts are encoded with BOS, continued by <see cref="Generation.Generate"/> with the options given
/// (the evaluator's: batched greedy decoding with a KV cache), and decoded.
/// Stop strings are applied afterwards by the evaluator (<see cref="AnswerText"/>); decoding stops on EOS or the token budget.
/// </summary>
public sealed class ModelTextGenerator(ICausalLanguageModel model, TextTokenizer tokenizer)
    : ITextGenerator
{
    /// <inheritdoc/>
    public IReadOnlyList<string> Generate(IReadOnlyList<string> prompts, GenerationOptions options)
    {
        var ids = prompts
            .Select(p =>
                (IReadOnlyList<long>)
                    tokenizer.Encode(p, addBos: true).Select(i => (long)i).ToArray()
            )
            .ToArray();
        var result = Generation.Generate(model, ids, options);
        return result.Tokens.Select(row => tokenizer.Decode(row.Select(t => (int)t))).ToArray();
    }
}
