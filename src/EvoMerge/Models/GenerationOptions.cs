using EvoMerge.Common;

namespace EvoMerge.Models;

/// <summary>How to continue prompts. Defaults: greedy, KV cache, stop on the model's EOS ids.</summary>
public sealed record GenerationOptions
{
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
}
