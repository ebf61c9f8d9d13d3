using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Models;
using static TorchSharp.torch;

namespace EvoMerge.Evaluation;

/// <summary>
/// Multiple-choice scoring over a real model (plain, merged or routed): the log-likelihood of a
/// continuation is the sum of log p(token | prefix) over the continuation's tokens, where the
/// continuation's tokens are those of <c>context + continuation</c> past the context's own tokens
/// (lm-evaluation-harness's convention, so merges across the boundary are handled).
/// </summary>
public sealed class ModelLogLikelihoodScorer(ICausalLanguageModel model, TextTokenizer tokenizer)
    : ILogLikelihoodScorer
{
    /// <inheritdoc/>
    public IReadOnlyList<double> LogLikelihoods(IReadOnlyList<LogLikelihoodRequest> requests)
    {
        var scores = new double[requests.Count];
        using var noGrad = no_grad();
        for (int i = 0; i < requests.Count; i++)
        {
            using var scope = NewDisposeScope();
            var context = tokenizer.Encode(requests[i].Context, addBos: true);
            var whole = tokenizer.Encode(
                requests[i].Context + requests[i].Continuation,
                addBos: true
            );
            int start = CommonPrefix(context, whole);
            if (start == whole.Count)
                throw new ArgumentException($"request {i}: the continuation adds no tokens");
            start = Math.Max(start, 1); // the first token has no prediction
            var ids = tensor(whole.Select(t => (long)t).ToArray(), [1, whole.Count]);
            var logProbs = model.Forward(ids).log_softmax(-1)[0]; // (T, V)
            var targets = tensor(whole.Skip(start).Select(t => (long)t).ToArray());
            var predicted = logProbs.narrow(0, start - 1, whole.Count - start); // position p predicts token p + 1
            scores[i] = predicted.gather(1, targets.unsqueeze(1)).sum().item<float>();
        }
        return scores;
    }

    static int CommonPrefix(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        int n = 0;
        while (n < a.Count && n < b.Count && a[n] == b[n])
            n++;
        return n;
    }
}
