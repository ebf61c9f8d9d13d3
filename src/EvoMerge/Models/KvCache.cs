using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// Keys and values of past tokens, one slot per position in the executed layer path (not per layer
/// index: a DFS path may run the same layer twice, and each run has its own keys). Every slot is
/// preallocated as (B, kv_heads, max_len, head_dim), so decoding writes in place instead of growing
/// with torch.cat. Long-lived state: the buffers belong to no dispose scope and are freed by <see cref="Dispose"/>.
/// </summary>
/// <remarks>
/// One forward pass writes its T new tokens into every slot it uses at [Length, Length+T); the
/// caller then calls <see cref="Advance"/> once (the models' Forward methods do).
/// </remarks>
public sealed class KvCache : IDisposable
{
    readonly Tensor[] _keys; // each (B, KV, maxLen, hd)
    readonly Tensor[] _values;
    bool _disposed;

    /// <summary>Allocates every slot (zeros) on <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    public KvCache(
        int batch,
        int maxLength,
        IReadOnlyList<KvCacheSlotShape> slots,
        ScalarType dtype,
        Device device
    )
    {
        if (batch <= 0 || maxLength <= 0)
            throw new ArgumentOutOfRangeException(
                nameof(maxLength),
                "batch and maxLength must be positive"
            );
        Batch = batch;
        MaxLength = maxLength;
        Slots = slots.ToArray();
        _keys = new Tensor[Slots.Count];
        _values = new Tensor[Slots.Count];
        for (int i = 0; i < Slots.Count; i++)
        {
            var s = Slots[i];
            _keys[i] = zeros([batch, s.KvHeads, maxLength, s.HeadDim], dtype, device)
                .DetachFromDisposeScope();
            _values[i] = zeros([batch, s.KvHeads, maxLength, s.HeadDim], dtype, device)
                .DetachFromDisposeScope();
        }
    }

    public int Batch { get; }
    public int MaxLength { get; }

    /// <summary>The geometry of each slot, in path order.</summary>
    public IReadOnlyList<KvCacheSlotShape> Slots { get; }

    /// <summary>Tokens already stored (the past length for the next forward pass).</summary>
    public int Length { get; private set; }

    /// <summary>
    /// Writes this pass's keys and values (B, KV, T, hd) into <paramref name="slot"/> at [Length, Length+T)
    /// and returns views of every stored token, (B, KV, Length+T, hd) each.
    /// </summary>
    public (Tensor Keys, Tensor Values) Append(int slot, Tensor keys, Tensor values)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if ((uint)slot >= (uint)_keys.Length)
            throw new ArgumentOutOfRangeException(
                nameof(slot),
                $"slot {slot} is outside this cache's {_keys.Length} slots"
            );
        long t = keys.shape[2];
        if (Length + t > MaxLength)
            throw new InvalidOperationException(
                $"KV cache full: {Length} + {t} tokens exceed its {MaxLength} positions"
            );
        var k = _keys[slot];
        var v = _values[slot];
        if (
            keys.shape[0] != k.shape[0]
            || keys.shape[1] != k.shape[1]
            || keys.shape[3] != k.shape[3]
        )
            throw new ArgumentException(
                $"slot {slot} holds [{string.Join(", ", k.shape)}] but the layer gives keys [{string.Join(", ", keys.shape)}]"
            );
        using (var target = k.narrow(2, Length, t))
            target.copy_(keys);
        using (var target = v.narrow(2, Length, t))
            target.copy_(values);
        return (k.narrow(2, 0, Length + t), v.narrow(2, 0, Length + t));
    }

    /// <summary>Marks <paramref name="tokens"/> more positions as stored; call once per forward pass, after every slot was written.</summary>
    public void Advance(int tokens)
    {
        if (tokens < 0 || Length + tokens > MaxLength)
            throw new ArgumentOutOfRangeException(nameof(tokens));
        Length += tokens;
    }

    /// <summary>Forgets every stored token (buffers are kept for reuse).</summary>
    public void Reset() => Length = 0;

    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        foreach (var t in _keys.Concat(_values))
            t.Dispose();
    }
}
