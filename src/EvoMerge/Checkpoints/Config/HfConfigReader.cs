using System.Text.Json;
using EvoMerge.Common;

namespace EvoMerge.Checkpoints.Config;

/// <summary>Turns config.json (4.x or 5.x field names) into an <see cref="HfConfig"/>, with one typed error per problem.</summary>
internal static class HfConfigReader
{
    internal const string FullAttention = "full_attention";
    internal const string SlidingAttention = "sliding_attention";

    public static HfConfig Load(string folderOrFile)
    {
        var path = Directory.Exists(folderOrFile)
            ? Path.Combine(folderOrFile, "config.json")
            : folderOrFile;
        if (!File.Exists(path))
            throw new HfConfigException(
                path,
                "no such file (a Hugging Face model folder holds config.json)"
            );
        var config = Parse(File.ReadAllText(path), path);
        var generation = Path.Combine(Path.GetDirectoryName(path) ?? ".", "generation_config.json");
        return File.Exists(generation) ? WithGenerationIds(config, generation) : config;
    }

    public static HfConfig Parse(string json, string file)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new HfConfigException(file, $"not valid JSON ({e.Message})");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new HfConfigException(file, "expected a JSON object");
            var j = new Fields(root, file);
            var modelType = j.String("model_type");
            if (modelType is null || !HfConfig.SupportedModelTypes.Contains(modelType))
                throw new HfConfigException(
                    file,
                    $"unsupported model_type '{modelType ?? "(missing)"}' (supported: {string.Join(", ", HfConfig.SupportedModelTypes)})"
                );
            var act = j.String("hidden_act") ?? "silu";
            if (act != "silu")
                throw new HfConfigException(
                    file,
                    $"unsupported hidden_act '{act}' (supported: silu)"
                );

            int hidden = j.RequiredInt("hidden_size");
            int heads = j.RequiredInt("num_attention_heads");
            int layers = j.RequiredInt("num_hidden_layers");
            int kvHeads = j.Int("num_key_value_heads") ?? heads;
            foreach (
                var (name, value) in new[]
                {
                    ("hidden_size", hidden),
                    ("num_attention_heads", heads),
                    ("num_hidden_layers", layers),
                    ("num_key_value_heads", kvHeads),
                }
            )
                if (value <= 0)
                    throw new HfConfigException(file, $"'{name}' must be positive, got {value}");
            int headDim =
                j.Int("head_dim")
                ?? (
                    hidden % heads == 0
                        ? hidden / heads
                        : throw new HfConfigException(
                            file,
                            $"hidden_size {hidden} is not divisible by num_attention_heads {heads} and head_dim is absent"
                        )
                );
            if (kvHeads <= 0 || heads % kvHeads != 0)
                throw new HfConfigException(
                    file,
                    $"num_attention_heads {heads} is not a multiple of num_key_value_heads {kvHeads}"
                );

            bool attentionBias = j.Bool("attention_bias") ?? false;
            var (qkvBias, outputBias, mlpBias) = modelType switch
            {
                "llama" => (attentionBias, attentionBias, j.Bool("mlp_bias") ?? false),
                "qwen2" => (true, false, false),
                _ => (false, false, false),
            };
            var (layerTypes, window) = SlidingLayers(j, modelType, layers, file);
            return new HfConfig
            {
                ModelType = modelType,
                VocabSize = j.RequiredInt("vocab_size"),
                HiddenSize = hidden,
                IntermediateSize = j.RequiredInt("intermediate_size"),
                NumHiddenLayers = layers,
                NumAttentionHeads = heads,
                NumKeyValueHeads = kvHeads,
                HeadDim = headDim,
                RmsNormEps = j.Double("rms_norm_eps") ?? 1e-6,
                MaxPositionEmbeddings = j.Int("max_position_embeddings") ?? 2048,
                Rope = ReadRope(j, root, file),
                QkvBias = qkvBias,
                OutputBias = outputBias,
                MlpBias = mlpBias,
                TieWordEmbeddings = j.Bool("tie_word_embeddings") ?? false,
                LayerTypes = layerTypes,
                SlidingWindow = window,
                Dtype = j.String("dtype") ?? j.String("torch_dtype"),
                BosTokenId = j.Int("bos_token_id"),
                EosTokenIds = j.IntOrList("eos_token_id"),
                PadTokenId = j.Int("pad_token_id"),
            };
        }
    }

    /// <summary>Mistral: one window for every layer. Qwen2: layer_types, else layers from max_window_layers on slide (when use_sliding_window).</summary>
    static (ValueArray<string>, int?) SlidingLayers(
        Fields j,
        string modelType,
        int layers,
        string file
    )
    {
        int? window = modelType switch
        {
            "mistral" => j.Int("sliding_window"),
            "qwen2" => (j.Bool("use_sliding_window") ?? false) ? j.Int("sliding_window") : null,
            _ => null,
        };
        string[] types;
        var given = j.StringList("layer_types");
        if (given is not null && modelType != "llama")
        {
            if (given.Length != layers)
                throw new HfConfigException(
                    file,
                    $"layer_types has {given.Length} entries but num_hidden_layers is {layers}"
                );
            foreach (var t in given)
                if (t != FullAttention && t != SlidingAttention)
                    throw new HfConfigException(
                        file,
                        $"unsupported layer type '{t}' in layer_types (supported: {FullAttention}, {SlidingAttention})"
                    );
            types = given;
        }
        else
        {
            int maxWindowLayers = modelType == "qwen2" ? j.Int("max_window_layers") ?? 28 : 0;
            types = Enumerable
                .Range(0, layers)
                .Select(i =>
                    window is not null && i >= maxWindowLayers ? SlidingAttention : FullAttention
                )
                .ToArray();
        }
        if (types.Contains(SlidingAttention) && window is null)
            throw new HfConfigException(
                file,
                "layer_types names sliding_attention layers but sliding_window is null"
            );
        if (window is <= 0)
            throw new HfConfigException(file, $"sliding_window must be positive, got {window}");
        return (types, types.Contains(SlidingAttention) ? window : null);
    }

    /// <summary>5.x: rope_parameters {rope_type, rope_theta, ...}; 4.x: rope_theta + rope_scaling {rope_type|type, factor, ...}.</summary>
    static RopeSettings ReadRope(Fields j, JsonElement root, string file)
    {
        JsonElement? parameters = null;
        foreach (var name in new[] { "rope_parameters", "rope_scaling" })
            if (root.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Object)
            {
                parameters = p;
                break;
            }
        var p2 = parameters is { } e ? new Fields(e, file) : null;
        var type = p2?.String("rope_type") ?? p2?.String("type") ?? "default";
        var theta = p2?.Double("rope_theta") ?? j.Double("rope_theta") ?? 10000.0;
        if (!RopeSettings.SupportedTypes.Contains(type))
            throw new HfConfigException(
                file,
                $"unsupported rope type '{type}' (supported: {string.Join(", ", RopeSettings.SupportedTypes)})"
            );
        return type switch
        {
            "linear" => new RopeSettings(type, theta, p2!.RequiredDouble("factor")),
            "llama3" => new RopeSettings(
                type,
                theta,
                p2!.RequiredDouble("factor"),
                p2.RequiredDouble("low_freq_factor"),
                p2.RequiredDouble("high_freq_factor"),
                p2.RequiredInt("original_max_position_embeddings")
            ),
            _ => new RopeSettings("default", theta),
        };
    }

    static HfConfig WithGenerationIds(HfConfig config, string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new HfConfigException(path, "expected a JSON object");
            var j = new Fields(doc.RootElement, path);
            var eos = j.IntOrList("eos_token_id");
            return config with
            {
                BosTokenId = j.Int("bos_token_id") ?? config.BosTokenId,
                EosTokenIds = eos.Count > 0 ? eos : config.EosTokenIds,
                PadTokenId = j.Int("pad_token_id") ?? config.PadTokenId,
            };
        }
        catch (JsonException e)
        {
            throw new HfConfigException(path, $"not valid JSON ({e.Message})");
        }
    }

    /// <summary>Typed access to a JSON object's fields; null and absent read alike; wrong kinds throw naming the field.</summary>
    sealed class Fields(JsonElement obj, string file)
    {
        JsonElement? Get(string name) =>
            obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

        HfConfigException Wrong(string name, string expected, JsonElement v) =>
            new(file, $"field '{name}' should be {expected}, got {v.ValueKind} {v.GetRawText()}");

        public string? String(string name) =>
            Get(name) is { } v
                ? (
                    v.ValueKind == JsonValueKind.String
                        ? v.GetString()
                        : throw Wrong(name, "a string", v)
                )
                : null;

        public int? Int(string name) =>
            Get(name) is { } v
                ? (
                    v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i)
                        ? i
                        : throw Wrong(name, "an integer", v)
                )
                : null;

        public double? Double(string name) =>
            Get(name) is { } v
                ? (
                    v.ValueKind == JsonValueKind.Number
                        ? v.GetDouble()
                        : throw Wrong(name, "a number", v)
                )
                : null;

        public bool? Bool(string name) =>
            Get(name) is { } v
                ? v.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw Wrong(name, "true or false", v),
                }
                : null;

        public int RequiredInt(string name) =>
            Int(name) ?? throw new HfConfigException(file, $"missing required field '{name}'");

        public double RequiredDouble(string name) =>
            Double(name) ?? throw new HfConfigException(file, $"missing required field '{name}'");

        public string[]? StringList(string name) =>
            Get(name) is { } v
                ? (
                    v.ValueKind == JsonValueKind.Array
                        ? v.EnumerateArray()
                            .Select(x =>
                                x.ValueKind == JsonValueKind.String
                                    ? x.GetString()!
                                    : throw Wrong(name, "a list of strings", v)
                            )
                            .ToArray()
                        : throw Wrong(name, "a list of strings", v)
                )
                : null;

        public ValueArray<int> IntOrList(string name) =>
            Get(name) is { } v
                ? v.ValueKind switch
                {
                    JsonValueKind.Number => ValueArray.Of(Int(name)!.Value),
                    JsonValueKind.Array => v.EnumerateArray()
                        .Select(x =>
                            x.ValueKind == JsonValueKind.Number && x.TryGetInt32(out var i)
                                ? i
                                : throw Wrong(name, "an integer or a list of integers", v)
                        )
                        .ToValueArray(),
                    _ => throw Wrong(name, "an integer or a list of integers", v),
                }
                : ValueArray<int>.Empty;
    }
}
