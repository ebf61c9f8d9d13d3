using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>A lookup table of token vectors (transformers' embed_tokens), uninitialized until loaded.</summary>
public sealed class TokenEmbedding : nn.Module<Tensor, Tensor>
{
    readonly Parameter weight; // (V, D)

    public TokenEmbedding(long vocab, long size, Device device, ScalarType dtype)
        : base(nameof(TokenEmbedding))
    {
        weight = new Parameter(empty([vocab, size], dtype, device), requires_grad: false);
        RegisterComponents();
    }

    /// <summary>The table, (V, D); a tied lm_head multiplies by it.</summary>
    public Tensor Weight => weight;

    // (B, T) int64 -> (B, T, D)
    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var rows = weight.index_select(0, ids.reshape(-1)); // (B*T, D)
        return rows.view([.. ids.shape, weight.shape[1]]).MoveToOuterDisposeScope();
    }
}
