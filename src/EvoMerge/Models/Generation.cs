using EvoMerge.Common;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// Batched decoding against any <see cref="ICausalLanguageModel"/>: prompts are left-padded (positions
/// come from the attention mask, as in transformers), one pass fills the KV cache, then one token per
/// step. Argmax/sampling, the EOS test and the finished flags stay on the device; the host reads one
/// bool every <see cref="GenerationOptions.FinishedCheckInterval"/> steps and the tokens once at the end.
/// </summary>
public static class Generation
{
    /// <summary>Continues each prompt (token ids, at least one per row).</summary>
    public static GenerationResult Generate(
        ICausalLanguageModel model,
        IReadOnlyList<IReadOnlyList<long>> prompts,
        GenerationOptions options
    )
    {
        if (prompts.Count == 0)
            throw new ArgumentException("no prompts", nameof(prompts));
        if (prompts.Any(p => p.Count == 0))
            throw new ArgumentException(
                "every prompt needs at least one token (e.g. BOS)",
                nameof(prompts)
            );
        if (options.MaxNewTokens <= 0)
            return new(
                prompts.Select(_ => ValueArray<long>.Empty).ToValueArray(),
                prompts.Select(_ => false).ToValueArray()
            );
        var eos = (options.EosTokenIds ?? model.EosTokenIds).ToArray();
        long pad = model.PadTokenId ?? (eos.Length > 0 ? eos[0] : 0);
        int batch = prompts.Count;
        int promptLength = prompts.Max(p => p.Count);
        int total = promptLength + options.MaxNewTokens;
        var device = model.Device;

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        // Long-lived buffers for the whole call: sequence (left-padded prompt + new), mask, flags.
        var (sequence, mask) = LeftPad(prompts, promptLength, total, pad, device); // (B, total) each
        var finished = zeros([batch], ScalarType.Bool, device);
        var eosIds = tensor(eos.Select(e => (long)e).ToArray(), ScalarType.Int64, device);
        var padToken = full([batch], pad, ScalarType.Int64, device);
        var generator =
            options.Temperature > 0
                ? new torch.Generator(options.Seed, device.type == DeviceType.CUDA ? device : CPU)
                : null;
        using var cache = options.UseCache ? model.CreateCache(batch, total) : null;

        int steps = 0;
        for (int step = 0; step < options.MaxNewTokens; step++)
        {
            using var stepScope = NewDisposeScope();
            int length = promptLength + step;
            Tensor logits; // (B, 1, V)
            if (cache is null || step == 0)
                logits = model.Forward(
                    sequence.narrow(1, 0, length),
                    mask.narrow(1, 0, length),
                    cache,
                    lastPositionOnly: true
                );
            else
                logits = model.Forward(
                    sequence.narrow(1, length - 1, 1),
                    mask.narrow(1, 0, length),
                    cache,
                    lastPositionOnly: true
                );
            var next = Pick(logits.select(1, 0), options, generator); // (B)
            if (eos.Length > 0) // without stop ids no row ever finishes
                next = where(finished, padToken, next);
            sequence.select(1, length).copy_(next);
            mask.select(1, length).fill_(1);
            if (eos.Length > 0)
                finished.logical_or_(next.unsqueeze(1).eq(eosIds).any(1));
            steps = step + 1;
            if (
                eos.Length > 0
                && steps % Math.Max(1, options.FinishedCheckInterval) == 0
                && finished.all().item<bool>()
            )
                break;
        }

        var produced = sequence.narrow(1, promptLength, steps).cpu().data<long>().ToArray(); // one read of all tokens
        var tokens = new ValueArray<long>[batch];
        var endedWithEos = new bool[batch];
        for (int row = 0; row < batch; row++)
        {
            var rowTokens = produced.AsSpan(row * steps, steps);
            int stop = eos.Length == 0 ? -1 : IndexOfAny(rowTokens, eos);
            endedWithEos[row] = stop >= 0;
            tokens[row] = (stop >= 0 ? rowTokens[..stop] : rowTokens).ToArray();
        }
        return new(tokens, endedWithEos);
    }

    /// <summary>Greedy argmax, or temperature + top-p sampling with the seeded generator: (B, V) -> (B).</summary>
    static Tensor Pick(Tensor logits, GenerationOptions options, torch.Generator? generator)
    {
        if (generator is null)
            return logits.argmax(-1);
        var probs = (logits / options.Temperature).softmax(-1); // (B, V)
        if (options.TopP >= 1.0)
            return multinomial(probs, 1, false, generator).squeeze(1);
        var (sorted, order) = probs.sort(-1, descending: true); // (B, V)
        // Drop a token when the tokens before it already reach top_p (the first token always stays).
        var before = sorted.cumsum(-1) - sorted;
        sorted = sorted.masked_fill(before.gt(options.TopP), 0);
        var choice = multinomial(sorted, 1, false, generator); // (B, 1) index into the sorted order
        return order.gather(1, choice).squeeze(1);
    }

    static (Tensor Sequence, Tensor Mask) LeftPad(
        IReadOnlyList<IReadOnlyList<long>> prompts,
        int promptLength,
        int total,
        long pad,
        Device device
    )
    {
        int batch = prompts.Count;
        var ids = new long[batch * total];
        var mask = new long[batch * total];
        Array.Fill(ids, pad);
        for (int row = 0; row < batch; row++)
        {
            int offset = promptLength - prompts[row].Count;
            for (int i = 0; i < prompts[row].Count; i++)
            {
                ids[row * total + offset + i] = prompts[row][i];
                mask[row * total + offset + i] = 1;
            }
        }
        return (
            tensor(ids, [batch, total], ScalarType.Int64).to(device),
            tensor(mask, [batch, total], ScalarType.Int64).to(device)
        );
    }

    static int IndexOfAny(ReadOnlySpan<long> tokens, int[] eos)
    {
        for (int i = 0; i < tokens.Length; i++)
            if (Array.IndexOf(eos, (int)tokens[i]) >= 0)
                return i;
        return -1;
    }
}
