using EvoMerge.Checkpoints.Config;
using EvoMerge.Common;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Checkpoints;

public class ConfigTests
{
    static HfConfig Fixture(string name) =>
        HfConfig.Load(Fixtures.Path(Path.Combine("models", name)));

    [Fact]
    public void Llama_5x_config_reads_rope_parameters_dtype_head_dim_and_gqa()
    {
        var c = Fixture("llama-tiny");
        Assert.Equal("llama", c.ModelType);
        Assert.Equal(
            (512, 64, 160, 4, 4, 2, 16),
            (
                c.VocabSize,
                c.HiddenSize,
                c.IntermediateSize,
                c.NumHiddenLayers,
                c.NumAttentionHeads,
                c.NumKeyValueHeads,
                c.HeadDim
            )
        );
        Assert.Equal(new RopeSettings("default", 10000.0), c.Rope);
        Assert.Equal("bfloat16", c.Dtype);
        Assert.Equal(1e-6, c.RmsNormEps);
        Assert.False(c.TieWordEmbeddings);
        Assert.False(c.QkvBias || c.OutputBias || c.MlpBias);
        Assert.Null(c.SlidingWindow);
        Assert.All(c.LayerTypes, t => Assert.Equal("full_attention", t));
        Assert.Equal((1, ValueArray.Of(2)), (c.BosTokenId!.Value, c.EosTokenIds));
    }

    [Fact]
    public void Mistral_config_slides_every_layer_and_keeps_explicit_head_dim()
    {
        var c = Fixture("mistral-tiny-sharded");
        Assert.Equal(8, c.HeadDim); // hidden 64 / 8 heads would also be 8: check the window and theta too
        Assert.Equal(8, c.SlidingWindow);
        Assert.Equal(1_000_000.0, c.Rope.Theta);
        Assert.Equal("float16", c.Dtype);
        Assert.All(
            Enumerable.Range(0, c.NumHiddenLayers),
            i => Assert.Equal(8, c.SlidingWindowOf(i))
        );
    }

    [Fact]
    public void Qwen2_config_has_qkv_bias_tied_embeddings_and_layer_types()
    {
        var c = Fixture("qwen2-tiny");
        Assert.True(c.QkvBias);
        Assert.False(c.OutputBias);
        Assert.True(c.TieWordEmbeddings);
        Assert.Equal(12, c.HeadDim); // 48 / 4, no head_dim field
        Assert.Null(c.SlidingWindowOf(1));
        Assert.Null(c.BosTokenId);
        Assert.Equal(ValueArray.Of(0), c.EosTokenIds);
    }

    [Fact]
    public void Transformers_4x_config_reads_rope_theta_rope_scaling_llama3_and_torch_dtype()
    {
        const string json = """
            {
              "architectures": ["LlamaForCausalLM"], "model_type": "llama", "vocab_size": 128256,
              "hidden_size": 4096, "intermediate_size": 14336, "num_hidden_layers": 32,
              "num_attention_heads": 32, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
              "max_position_embeddings": 131072, "rope_theta": 500000.0,
              "rope_scaling": {"factor": 8.0, "low_freq_factor": 1.0, "high_freq_factor": 4.0,
                               "original_max_position_embeddings": 8192, "rope_type": "llama3"},
              "attention_bias": true, "mlp_bias": true, "tie_word_embeddings": false,
              "torch_dtype": "bfloat16", "bos_token_id": 128000, "eos_token_id": [128001, 128008, 128009],
              "transformers_version": "4.43.0"
            }
            """;
        var c = HfConfig.Parse(json);
        Assert.Equal(new RopeSettings("llama3", 500000.0, 8.0, 1.0, 4.0, 8192), c.Rope);
        Assert.Equal("bfloat16", c.Dtype);
        Assert.Equal(128, c.HeadDim);
        Assert.Equal(8, c.NumKeyValueHeads);
        Assert.True(c.QkvBias && c.OutputBias && c.MlpBias);
        Assert.Equal(ValueArray.Of(128001, 128008, 128009), c.EosTokenIds);
        Assert.Equal(c, HfConfig.Parse(json)); // value equality, arrays included
    }

    [Fact]
    public void Transformers_4x_linear_scaling_uses_the_old_type_key()
    {
        var c = HfConfig.Parse(
            Minimal(
                "llama",
                """ "rope_theta": 1000.0, "rope_scaling": {"type": "linear", "factor": 2.0} """
            )
        );
        Assert.Equal(new RopeSettings("linear", 1000.0, 2.0), c.Rope);
    }

    [Fact]
    public void Qwen2_4x_sliding_layers_start_at_max_window_layers()
    {
        var c = HfConfig.Parse(
            Minimal(
                "qwen2",
                """ "use_sliding_window": true, "sliding_window": 4, "max_window_layers": 1 """
            )
        );
        Assert.Equal(ValueArray.Of("full_attention", "sliding_attention"), c.LayerTypes);
        Assert.Equal([null, 4], new[] { c.SlidingWindowOf(0), c.SlidingWindowOf(1) });
        var off = HfConfig.Parse(
            Minimal(
                "qwen2",
                """ "use_sliding_window": false, "sliding_window": 4, "max_window_layers": 0 """
            )
        );
        Assert.Null(off.SlidingWindow);
    }

    [Fact]
    public void Generation_config_eos_overrides_config_json()
    {
        var dir = Directory.CreateTempSubdirectory("evomerge-config-").FullName;
        try
        {
            File.WriteAllText(
                Path.Combine(dir, "config.json"),
                Minimal("llama", """ "eos_token_id": 2 """)
            );
            File.WriteAllText(
                Path.Combine(dir, "generation_config.json"),
                """{"eos_token_id": [2, 7], "pad_token_id": 0}"""
            );
            var c = HfConfig.Load(dir);
            Assert.Equal(ValueArray.Of(2, 7), c.EosTokenIds);
            Assert.Equal(0, c.PadTokenId);
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public void Unknown_model_type_names_the_file_and_the_supported_types()
    {
        var e = Assert.Throws<HfConfigException>(() =>
            HfConfig.Parse(Minimal("gpt2", ""), "/m/config.json")
        );
        Assert.Equal("/m/config.json", e.File);
        Assert.Contains("unsupported model_type 'gpt2'", e.Message);
        Assert.Contains("llama, mistral, qwen2", e.Message);
    }

    [Theory]
    [InlineData(
        """  "rope_parameters": {"rope_type": "yarn", "rope_theta": 10000.0, "factor": 4.0} """,
        "yarn"
    )]
    [InlineData(
        """  "rope_theta": 10000.0, "rope_scaling": {"type": "dynamic", "factor": 2.0} """,
        "dynamic"
    )]
    public void Unsupported_rope_type_is_a_clear_error(string fields, string type)
    {
        var e = Assert.Throws<HfConfigException>(() =>
            HfConfig.Parse(Minimal("llama", fields), "x/config.json")
        );
        Assert.StartsWith("x/config.json: ", e.Message);
        Assert.Contains($"unsupported rope type '{type}'", e.Message);
    }

    [Fact]
    public void Malformed_inputs_are_typed_errors()
    {
        Assert.Contains(
            "not valid JSON",
            Assert.Throws<HfConfigException>(() => HfConfig.Parse("{ nope")).Message
        );
        Assert.Contains(
            "missing required field 'hidden_size'",
            Assert
                .Throws<HfConfigException>(() => HfConfig.Parse("""{"model_type": "llama"}"""))
                .Message
        );
        Assert.Contains(
            "field 'num_attention_heads' should be an integer",
            Assert
                .Throws<HfConfigException>(() =>
                    HfConfig.Parse(
                        Minimal("llama", "")
                            .Replace("\"num_attention_heads\": 2", "\"num_attention_heads\": \"2\"")
                    )
                )
                .Message
        );
        Assert.Contains(
            "no such file",
            Assert.Throws<HfConfigException>(() => HfConfig.Load("/nonexistent/model")).Message
        );
    }

    /// <summary>A small valid config of <paramref name="modelType"/> plus extra fields.</summary>
    static string Minimal(string modelType, string extra) =>
        $$"""
            { "model_type": "{{modelType}}", "vocab_size": 32, "hidden_size": 16, "intermediate_size": 32,
              "num_hidden_layers": 2, "num_attention_heads": 2{{(
                string.IsNullOrWhiteSpace(extra) ? "" : ", " + extra
            )}} }
            """;
}
