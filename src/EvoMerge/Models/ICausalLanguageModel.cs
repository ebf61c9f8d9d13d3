using EvoMerge.Common;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// Anything that maps token ids to next-token logits with a KV cache: a plain checkpoint
/// (<see cref="CausalLanguageModel"/>) or a DFS-routed path over several models. Generation and
/// evaluation are written once against this.
/// </summary>
public interface ICausalLanguageModel
{
    /// <summary>Where inputs must live and results are made.</summary>
    Device Device { get; }

    int VocabSize { get; }

    /// <summary>Ids that end a sequence (possibly empty).</summary>
    ValueArray<int> EosTokenIds { get; }

    int? BosTokenId { get; }
    int? PadTokenId { get; }

    /// <summary>
    /// Logits for <paramref name="inputIds"/> (B, T) int64: float32 (B, T, V), or (B, 1, V) for the last
    /// position only. <paramref name="attentionMask"/> (B, past+T) marks real tokens (1) and padding (0),
    /// cached tokens included. With a cache, the new keys/values are appended and the cache advanced by T.
    /// </summary>
    Tensor Forward(
        Tensor inputIds,
        Tensor? attentionMask = null,
        KvCache? cache = null,
        bool lastPositionOnly = false
    );

    /// <summary>An empty cache for <paramref name="batch"/> rows and up to <paramref name="maxLength"/> tokens (prompt + new).</summary>
    KvCache CreateCache(int batch, int maxLength);
}
