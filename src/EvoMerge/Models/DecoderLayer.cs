using EvoMerge.Checkpoints.Config;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// One pre-norm transformer block (Llama family). Callable on its own: the DFS router runs layers of
/// several models in any order on one hidden state, sharing one <see cref="AttentionContext"/>.
/// </summary>
public sealed class DecoderLayer : nn.Module
{
    readonly Attention self_attn;
    readonly Mlp mlp;
    readonly RmsNorm input_layernorm;
    readonly RmsNorm post_attention_layernorm;

    public DecoderLayer(HfConfig config, int layerIndex, Device device, ScalarType dtype)
        : base(nameof(DecoderLayer))
    {
        LayerIndex = layerIndex;
        self_attn = new Attention(config, config.SlidingWindowOf(layerIndex), device, dtype);
        mlp = new Mlp(config.HiddenSize, config.IntermediateSize, config.MlpBias, device, dtype);
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        RegisterComponents();
    }

    /// <summary>This layer's index in its own model (not its position in an executed path).</summary>
    public int LayerIndex { get; }

    /// <summary>The attention block (heads, window, RoPE settings).</summary>
    public Attention SelfAttention => self_attn;

    /// <summary>The shape this layer needs in a KV cache slot.</summary>
    public KvCacheSlotShape CacheSlotShape => new(self_attn.KvHeads, self_attn.HeadDim);

    /// <summary>
    /// h + attn(norm(h)), then + mlp(norm(·)): (B, T, D) -> (B, T, D). <paramref name="cacheSlot"/> is
    /// this call's position in the executed path (its KV cache slot); ignored without a cache.
    /// </summary>
    public Tensor forward(Tensor hidden, AttentionContext context, int cacheSlot)
    {
        using var scope = NewDisposeScope();
        var attended = self_attn.forward(input_layernorm.forward(hidden), context, cacheSlot);
        var h = attended.add_(hidden); // (B, T, D)
        var mlpOut = mlp.forward(post_attention_layernorm.forward(h));
        return mlpOut.add_(h).MoveToOuterDisposeScope();
    }
}
