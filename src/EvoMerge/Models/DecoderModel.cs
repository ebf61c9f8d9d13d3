using EvoMerge.Checkpoints.Config;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>The decoder stack (transformers' LlamaModel): embed_tokens, layers, norm.</summary>
public sealed class DecoderModel : nn.Module
{
    readonly TokenEmbedding embed_tokens;
    readonly ModuleList<DecoderLayer> layers;
    readonly RmsNorm norm;
    readonly DecoderLayer[] _layerView; // not a module field: read-only access to `layers`

    public DecoderModel(HfConfig config, Device device, ScalarType dtype)
        : base(nameof(DecoderModel))
    {
        embed_tokens = new TokenEmbedding(config.VocabSize, config.HiddenSize, device, dtype);
        layers = new ModuleList<DecoderLayer>(
            Enumerable
                .Range(0, config.NumHiddenLayers)
                .Select(i => new DecoderLayer(config, i, device, dtype))
                .ToArray()
        );
        norm = new RmsNorm(config.HiddenSize, config.RmsNormEps, device, dtype);
        RegisterComponents();
        _layerView = layers.ToArray();
    }

    public TokenEmbedding EmbedTokens => embed_tokens;
    public IReadOnlyList<DecoderLayer> Layers => _layerView;
    public RmsNorm Norm => norm;
}
