using EvoMerge.Checkpoints.Config;
using EvoMerge.Common;
using EvoMerge.Routing;
using TorchSharp;
using static TorchSharp.torch;

namespace EvoMerge.Models;

/// <summary>
/// A Llama-family causal language model (Llama, Mistral, Qwen2: transformers' *ForCausalLM). Module
/// fields are named like the checkpoint keys, so <c>named_parameters()</c> yields exactly
/// <c>model.embed_tokens.weight</c>, <c>model.layers.0.self_attn.q_proj.weight</c>, … <c>lm_head.weight</c>.
/// Besides the whole-model <see cref="Forward"/>, the pieces are public for routing: <see cref="Embed"/>,
/// <see cref="CreateContext"/>, <see cref="Layers"/>, <see cref="FinalNorm"/>, <see cref="Head"/>.
/// </summary>
public sealed class CausalLanguageModel : nn.Module, ICausalLanguageModel
{
    readonly DecoderModel model;
    readonly Projection? lm_head; // absent when tied to embed_tokens
    Router? _identity; // not a module field: built on first use

    /// <summary>Builds the modules with uninitialized weights (use <see cref="FromPretrained"/> or <see cref="InitializeRandom"/>); the <c>meta</c> device builds shapes only.</summary>
    public CausalLanguageModel(HfConfig config, Device device, ScalarType computeDtype)
        : base(nameof(CausalLanguageModel))
    {
        if (device.type == DeviceType.CPU && computeDtype == ScalarType.Float16)
            throw new ArgumentException(
                "float16 compute on CPU is unusably slow (0.2 GFLOP/s here): use float32 or bfloat16"
            );
        Config = config;
        Device = device;
        ComputeDtype = computeDtype;
        model = new DecoderModel(config, device, computeDtype);
        if (!config.TieWordEmbeddings)
            lm_head = new Projection(
                config.HiddenSize,
                config.VocabSize,
                false,
                device,
                computeDtype
            );
        RegisterComponents();
    }

    /// <summary>
    /// Loads a Hugging Face model folder (config.json, safetensors, optional generation_config.json).
    /// Compute dtype: float32 on CPU unless given (bf16/fp16 weights are converted), bfloat16 on CUDA.
    /// </summary>
    public static CausalLanguageModel FromPretrained(
        string folder,
        Device? device = null,
        ScalarType? computeDtype = null
    )
    {
        var config = HfConfig.Load(folder);
        device ??= CPU;
        var dtype =
            computeDtype
            ?? (device.type == DeviceType.CUDA ? ScalarType.BFloat16 : ScalarType.Float32);
        var result = new CausalLanguageModel(config, device, dtype);
        try
        {
            WeightLoader.Load(result, folder);
        }
        catch
        {
            result.Dispose();
            throw;
        }
        return result;
    }

    public HfConfig Config { get; }
    public Device Device { get; }
    public ScalarType ComputeDtype { get; }
    public int VocabSize => Config.VocabSize;
    public ValueArray<int> EosTokenIds => Config.EosTokenIds;
    public int? BosTokenId => Config.BosTokenId;
    public int? PadTokenId => Config.PadTokenId;

    /// <summary>The decoder layers in model order (each callable on its own).</summary>
    public IReadOnlyList<DecoderLayer> Layers => model.Layers;

    /// <summary>The decoder stack (embed_tokens, layers, norm).</summary>
    public DecoderModel Model => model;

    /// <summary>Token ids (B, T) -> embeddings (B, T, D) in the compute dtype.</summary>
    public Tensor Embed(Tensor inputIds) => model.EmbedTokens.forward(inputIds.to(Device));

    /// <summary>A context for T new tokens per row in this model's device and compute dtype (see <see cref="AttentionContext.Create"/>).</summary>
    public AttentionContext CreateContext(
        int batch,
        int length,
        Tensor? attentionMask = null,
        KvCache? cache = null
    ) => AttentionContext.Create(batch, length, attentionMask, cache, Device, ComputeDtype);

    /// <summary>The final RMSNorm: (B, T, D) -> (B, T, D).</summary>
    public Tensor FinalNorm(Tensor hidden) => model.Norm.forward(hidden);

    /// <summary>lm_head (or the tied embedding) on normed hidden states: (B, T, D) -> float32 logits (B, T, V).</summary>
    public Tensor Head(Tensor normed)
    {
        using var scope = NewDisposeScope();
        var logits = lm_head is null
            ? nn.functional.linear(normed, model.EmbedTokens.Weight)
            : lm_head.forward(normed);
        return logits.to_type(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>This model as a data-flow path over its own layers; it owns the layer loop.</summary>
    Router Path => _identity ??= Router.Identity(this);

    /// <inheritdoc />
    public Tensor Forward(
        Tensor inputIds,
        Tensor? attentionMask = null,
        KvCache? cache = null,
        bool lastPositionOnly = false
    ) => Path.Forward(inputIds, attentionMask, cache, lastPositionOnly);

    /// <summary>
    /// Logits with autograd enabled, for training: ids (B, T) → logits (B, T, V) in float32. No
    /// cache, no padding mask: training windows are packed, so every position is real.
    /// </summary>
    public Tensor TrainingForward(Tensor inputIds) => Path.TrainingForward(inputIds);

    /// <summary>
    /// <see cref="Forward"/> from embeddings (B, T, D) instead of ids, e.g. projected image features
    /// spliced into the text (LLaVA-style).
    /// </summary>
    public Tensor ForwardEmbeddings(
        Tensor embeddings,
        Tensor? attentionMask = null,
        KvCache? cache = null,
        bool lastPositionOnly = false
    ) => Path.ForwardEmbeddings(embeddings, attentionMask, cache, lastPositionOnly);

    /// <inheritdoc />
    public KvCache CreateCache(int batch, int maxLength) => Path.CreateCache(batch, maxLength);

    /// <summary>Fills every weight with a seeded random init (normal(0, std) matrices, unit norms, zero biases): for tests and benchmarks.</summary>
    public void InitializeRandom(long seed, double std = 0.02)
    {
        using var noGrad = no_grad();
        var generator = new torch.Generator(
            (ulong)seed,
            Device.type == DeviceType.CUDA ? Device : CPU
        );
        foreach (var (name, p) in named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
                p.fill_(1.0);
            else if (name.EndsWith(".bias", StringComparison.Ordinal))
                p.zero_();
            else
                p.normal_(0, std, generator);
        }
    }
}
