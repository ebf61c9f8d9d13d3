using EvoMerge.Checkpoints.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// What every decoder layer of one forward pass shares: positions, RoPE tables and the combined
/// causal / sliding-window / padding masks. Built once per pass and usable by a layer of any
/// compatible model: a layer asks for the mask of its own window and the tables of its own RoPE
/// settings, and each distinct request is computed once and kept until <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// Masks index keys by cache position (past tokens first, as transformers' masks do), so left
/// padding stays inside the cache and is masked by the attention mask.
/// </remarks>
public sealed class AttentionContext : IDisposable
{
    readonly Tensor? _keyMask; // (B, S) bool: key j is a real token
    readonly Dictionary<int, Tensor?> _masks = []; // window (0 = none) -> (B|1, 1, T, S) additive
    readonly Dictionary<(RopeSettings, int), (Tensor Cos, Tensor Sin)> _rotary = [];
    readonly List<Tensor> _owned = [];
    bool _disposed;

    AttentionContext(
        int batch,
        int length,
        int pastLength,
        Tensor positions,
        Tensor? keyMask,
        KvCache? cache,
        Device device,
        ScalarType dtype
    )
    {
        Batch = batch;
        Length = length;
        PastLength = pastLength;
        Positions = Own(positions);
        _keyMask = keyMask is null ? null : Own(keyMask);
        Cache = cache;
        Device = device;
        Dtype = dtype;
    }

    /// <summary>
    /// A context for <paramref name="length"/> new tokens per row. <paramref name="attentionMask"/>
    /// (B, past+T), 1 = real token, 0 = padding, covers the cached tokens too (as in transformers'
    /// generate); when given, positions count real tokens only (cumsum − 1), so left-padded rows
    /// start at position 0. Without it positions are past..past+T−1.
    /// </summary>
    public static AttentionContext Create(
        int batch,
        int length,
        Tensor? attentionMask,
        KvCache? cache,
        Device device,
        ScalarType dtype
    )
    {
        int past = cache?.Length ?? 0;
        int keys = past + length;
        if (cache is not null && cache.Batch != batch)
            throw new ArgumentException(
                $"the cache holds {cache.Batch} rows but the input has {batch}"
            );
        using var scope = NewDisposeScope();
        Tensor positions;
        Tensor? keyMask = null;
        if (attentionMask is null)
        {
            positions = arange(past, keys, ScalarType.Int64, device)
                .unsqueeze(0)
                .expand(batch, length); // (B, T)
        }
        else
        {
            if (
                attentionMask.dim() != 2
                || attentionMask.shape[0] != batch
                || attentionMask.shape[1] != keys
            )
                throw new ArgumentException(
                    $"attention_mask must be [{batch}, {keys}] (past {past} + new {length} tokens), got [{string.Join(", ", attentionMask.shape)}]"
                );
            var mask = attentionMask.to(device);
            keyMask = mask.ne(0); // (B, S)
            var counted = mask.to_type(ScalarType.Int64).cumsum(-1) - 1;
            counted = counted.masked_fill(keyMask.logical_not(), 1); // as transformers' generate
            positions = counted.narrow(1, past, length); // (B, T)
        }
        var context = new AttentionContext(
            batch,
            length,
            past,
            positions.contiguous(),
            keyMask,
            cache,
            device,
            dtype
        );
        return context;
    }

    /// <summary>Rows in the batch (B).</summary>
    public int Batch { get; }

    /// <summary>New tokens per row in this pass (T).</summary>
    public int Length { get; }

    /// <summary>Tokens already in the cache (0 without a cache).</summary>
    public int PastLength { get; }

    /// <summary>Keys each query may see: past + T (S).</summary>
    public int KeyLength => PastLength + Length;

    /// <summary>Position ids of the new tokens, (B, T) int64.</summary>
    public Tensor Positions { get; }

    /// <summary>The cache the layers write to, slot by path position; null for a full recompute.</summary>
    public KvCache? Cache { get; }
    public Device Device { get; }

    /// <summary>The compute dtype of the masks and RoPE tables.</summary>
    public ScalarType Dtype { get; }

    /// <summary>
    /// The additive mask (0 or the dtype's minimum) for a layer with sliding window
    /// <paramref name="slidingWindow"/> (null = full causal): (B or 1, 1, T, S), or null when nothing is masked.
    /// Query i (cache position past+i) sees key j when j ≤ past+i, j > past+i−window, and key j is not padding.
    /// </summary>
    public Tensor? MaskFor(int? slidingWindow)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        int window = slidingWindow is > 0 and var w && w < KeyLength ? w : 0; // a window ≥ S masks nothing extra
        if (_masks.TryGetValue(window, out var cached))
            return cached;
        Tensor? mask = null;
        bool causalMasksSomething = Length > 1 || window > 0;
        if (causalMasksSomething || _keyMask is not null)
        {
            using var scope = NewDisposeScope();
            var query = arange(PastLength, KeyLength, ScalarType.Int64, Device).unsqueeze(1); // (T, 1)
            var key = arange(0, KeyLength, ScalarType.Int64, Device).unsqueeze(0); // (1, S)
            var allowed = key.le(query); // (T, S)
            if (window > 0)
                allowed = allowed.logical_and(key.gt(query - window));
            allowed = _keyMask is null
                ? allowed.unsqueeze(0)
                : allowed.unsqueeze(0).logical_and(_keyMask.unsqueeze(1)); // (B|1, T, S)
            var additive = zeros(allowed.shape, Dtype, Device)
                .masked_fill_(allowed.logical_not(), MinValue(Dtype));
            mask = Own(additive.unsqueeze(1).contiguous()); // (B|1, 1, T, S)
        }
        _masks[window] = mask;
        return mask;
    }

    /// <summary>cos and sin, each (B, T, headDim) in the compute dtype, for a layer's RoPE settings.</summary>
    public (Tensor Cos, Tensor Sin) RotaryFor(RopeSettings rope, int headDim)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_rotary.TryGetValue((rope, headDim), out var tables))
            return tables;
        using var scope = NewDisposeScope();
        var invFreq = Rotary.InverseFrequencies(rope, headDim, Device);
        var (cos, sin) = Rotary.Tables(Positions, invFreq, Dtype);
        tables = (Own(cos), Own(sin));
        _rotary[(rope, headDim)] = tables;
        return tables;
    }

    /// <summary>The most negative finite value of a float dtype (what transformers adds to masked scores).</summary>
    static double MinValue(ScalarType dtype) =>
        dtype switch
        {
            ScalarType.Float32 => float.MinValue,
            ScalarType.Float64 => double.MinValue,
            ScalarType.BFloat16 => -3.3895313892515355e38,
            ScalarType.Float16 => -65504.0,
            _ => throw new ArgumentException($"masks need a floating dtype, got {dtype}"),
        };

    Tensor Own(Tensor t)
    {
        t.DetachFromDisposeScope();
        _owned.Add(t);
        return t;
    }

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var t in _owned)
            t.Dispose();
    }
}
