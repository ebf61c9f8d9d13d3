using System.Text.Json.Nodes;

namespace EvoMerge.Zoo.Building;

/// <summary>The tiny Llama every zoo model shares (one base, so task vectors line up).</summary>
public sealed record ZooArchitecture(
    int VocabSize = 1024,
    int HiddenSize = 128,
    int Layers = 6,
    int Heads = 4,
    int KvHeads = 2,
    int IntermediateSize = 384,
    int MaxPositions = 256,
    bool TieEmbeddings = true
)
{
    /// <summary>config.json in transformers 5.x form (LlamaForCausalLM, bf16 weights).</summary>
    public JsonObject ToConfigJson() =>
        new()
        {
            ["architectures"] = new JsonArray("LlamaForCausalLM"),
            ["model_type"] = "llama",
            ["vocab_size"] = VocabSize,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = Layers,
            ["num_attention_heads"] = Heads,
            ["num_key_value_heads"] = KvHeads,
            ["head_dim"] = HiddenSize / Heads,
            ["hidden_act"] = "silu",
            ["max_position_embeddings"] = MaxPositions,
            ["rms_norm_eps"] = 1e-6,
            ["rope_parameters"] = new JsonObject
            {
                ["rope_theta"] = 10000.0,
                ["rope_type"] = "default",
            },
            ["attention_bias"] = false,
            ["mlp_bias"] = false,
            ["tie_word_embeddings"] = TieEmbeddings,
            ["bos_token_id"] = 1,
            ["eos_token_id"] = 2,
            ["pad_token_id"] = null,
            ["dtype"] = "bfloat16",
        };
}
