using EvoMerge.Checkpoints.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// Grouped-query self-attention with RoPE, as transformers' eager attention (scores in the compute
/// dtype, softmax in float32). The layer's sliding window (or none) selects its mask in the context.
/// </summary>
public sealed class Attention : nn.Module
{
    readonly Projection q_proj;
    readonly Projection k_proj;
    readonly Projection v_proj;
    readonly Projection o_proj;

    public Attention(HfConfig config, int? slidingWindow, Device device, ScalarType dtype)
        : base(nameof(Attention))
    {
        Heads = config.NumAttentionHeads;
        KvHeads = config.NumKeyValueHeads;
        HeadDim = config.HeadDim;
        SlidingWindow = slidingWindow;
        Rope = config.Rope;
        long d = config.HiddenSize;
        q_proj = new Projection(d, Heads * HeadDim, config.QkvBias, device, dtype);
        k_proj = new Projection(d, KvHeads * HeadDim, config.QkvBias, device, dtype);
        v_proj = new Projection(d, KvHeads * HeadDim, config.QkvBias, device, dtype);
        o_proj = new Projection(Heads * HeadDim, d, config.OutputBias, device, dtype);
        RegisterComponents();
    }

    public int Heads { get; }
    public int KvHeads { get; }
    public int HeadDim { get; }

    /// <summary>Tokens a query sees (itself included) or null for full causal attention.</summary>
    public int? SlidingWindow { get; }
    public RopeSettings Rope { get; }

    /// <summary>(B, T, D) -> (B, T, D); writes its keys/values to <paramref name="cacheSlot"/> when the context has a cache.</summary>
    public Tensor forward(Tensor x, AttentionContext context, int cacheSlot)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0],
            t = x.shape[1];
        int groups = Heads / KvHeads;
        var q = q_proj.forward(x).view(b, t, Heads, HeadDim).transpose(1, 2); // (B, H, T, hd)
        var k = k_proj.forward(x).view(b, t, KvHeads, HeadDim).transpose(1, 2); // (B, KV, T, hd)
        var v = v_proj.forward(x).view(b, t, KvHeads, HeadDim).transpose(1, 2); // (B, KV, T, hd)
        var (cos, sin) = context.RotaryFor(Rope, HeadDim); // (B, T, hd)
        q = Rotary.Apply(q, cos, sin);
        k = Rotary.Apply(k, cos, sin);
        if (context.Cache is { } cache)
            (k, v) = cache.Append(cacheSlot, k, v); // (B, KV, S, hd)
        long s = k.shape[2];
        // GQA without repeat_kv: query head h uses kv head h / groups, so fold the group into rows.
        var qg = q.reshape(b, KvHeads, groups * t, HeadDim); // (B, KV, g*T, hd)
        var scores = qg.matmul(k.transpose(2, 3)).mul_(1.0 / Math.Sqrt(HeadDim)); // (B, KV, g*T, S)
        scores = scores.view(b, Heads, t, s); // (B, H, T, S)
        if (context.MaskFor(SlidingWindow) is { } mask)
            scores = scores.add_(mask); // + (B|1, 1, T, S)
        var probs = scores.softmax(-1, ScalarType.Float32).to_type(x.dtype); // (B, H, T, S)
        var output = probs.view(b, KvHeads, groups * t, s).matmul(v); // (B, KV, g*T, hd)
        output = output.view(b, Heads, t, HeadDim).transpose(1, 2).reshape(b, t, Heads * HeadDim); // (B, T, H*hd)
        return o_proj.forward(output).MoveToOuterDisposeScope();
    }
}
