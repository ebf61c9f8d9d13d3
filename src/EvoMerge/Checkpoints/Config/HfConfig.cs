using EvoMerge.Common;

namespace EvoMerge.Checkpoints.Config;

/// <summary>
/// The parts of a Hugging Face <c>config.json</c> that the Llama-family decoder needs (Llama, Mistral,
/// Qwen2), normalized across transformers 4.x and 5.x field names. Read it with <see cref="Load"/> or <see cref="Parse"/>.
/// </summary>
public sealed record HfConfig
{
    /// <summary>The model types this decoder runs.</summary>
    public static readonly IReadOnlyList<string> SupportedModelTypes =
    [
        "llama",
        "mistral",
        "qwen2",
    ];

    /// <summary>"llama", "mistral" or "qwen2".</summary>
    public required string ModelType { get; init; }
    public required int VocabSize { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumHiddenLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    public required int NumKeyValueHeads { get; init; }

    /// <summary><c>head_dim</c> when given (it may differ from hidden/heads), else hidden_size / num_attention_heads.</summary>
    public required int HeadDim { get; init; }
    public required double RmsNormEps { get; init; }
    public required int MaxPositionEmbeddings { get; init; }
    public required RopeSettings Rope { get; init; }

    /// <summary>Bias on q_proj, k_proj, v_proj (Qwen2; Llama's attention_bias).</summary>
    public required bool QkvBias { get; init; }

    /// <summary>Bias on o_proj (Llama's attention_bias only).</summary>
    public required bool OutputBias { get; init; }

    /// <summary>Bias on gate/up/down projections (Llama's mlp_bias).</summary>
    public required bool MlpBias { get; init; }

    /// <summary>lm_head shares embed_tokens.weight (no lm_head.weight in the checkpoint).</summary>
    public required bool TieWordEmbeddings { get; init; }

    /// <summary>Per layer: "full_attention" or "sliding_attention".</summary>
    public required ValueArray<string> LayerTypes { get; init; }

    /// <summary>The window of the sliding layers (tokens a query sees, itself included), or null.</summary>
    public int? SlidingWindow { get; init; }

    /// <summary>The stored dtype (<c>dtype</c> in 5.x, <c>torch_dtype</c> in 4.x), e.g. "bfloat16".</summary>
    public string? Dtype { get; init; }
    public int? BosTokenId { get; init; }

    /// <summary>End-of-sequence ids (config.json, overridden by generation_config.json when it has one).</summary>
    public ValueArray<int> EosTokenIds { get; init; } = ValueArray<int>.Empty;
    public int? PadTokenId { get; init; }

    /// <summary>The sliding window of layer <paramref name="layer"/>, or null for full attention.</summary>
    public int? SlidingWindowOf(int layer) =>
        LayerTypes[layer] == HfConfigReader.SlidingAttention ? SlidingWindow : null;

    /// <summary>
    /// Reads <c>config.json</c> from a model folder (or the file itself); token ids in
    /// <c>generation_config.json</c> beside it take precedence, as transformers' generate does.
    /// </summary>
    public static HfConfig Load(string folderOrFile) => HfConfigReader.Load(folderOrFile);

    /// <summary>Parses config.json text; <paramref name="file"/> names it in errors.</summary>
    public static HfConfig Parse(string json, string file = "config.json") =>
        HfConfigReader.Parse(json, file);
}
