using System.Text.Json;

namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>Special ids and flags found in a model folder's Hugging Face JSON files.</summary>
internal sealed record SpecialTokenConfig(int? BosId, int? EosId, int? PadId, bool? AddBosToken)
{
    /// <summary>
    /// Reads BOS/EOS/PAD from tokenizer_config.json (bos_token / eos_token / pad_token as strings
    /// or {"content": ...} objects, looked up in the vocabulary), then generation_config.json and
    /// config.json (bos_token_id / eos_token_id / pad_token_id; a list of EOS ids gives its first):
    /// for each id the first file that sets it wins. Also reads add_bos_token and, for
    /// vocab.json tokenizers, added_tokens_decoder.
    /// </summary>
    public static SpecialTokenConfig Read(string dir, ITokenizerEngine engine)
    {
        int? bos = null,
            eos = null,
            pad = null;
        bool? addBos = null;

        var tokenizerConfig = Path.Combine(dir, "tokenizer_config.json");
        if (File.Exists(tokenizerConfig))
        {
            using var doc = Json.Parse(tokenizerConfig);
            var root = doc.RootElement;
            bos = TokenId(root, "bos_token", engine, tokenizerConfig);
            eos = TokenId(root, "eos_token", engine, tokenizerConfig);
            pad = TokenId(root, "pad_token", engine, tokenizerConfig);
            if (root.TryGetProperty("add_bos_token", out var a))
                addBos = a.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    JsonValueKind.Null => null,
                    _ => throw new TokenizerLoadException(
                        tokenizerConfig,
                        "add_bos_token is not a boolean"
                    ),
                };
        }
        foreach (var name in new[] { "generation_config.json", "config.json" })
        {
            var file = Path.Combine(dir, name);
            if (!File.Exists(file))
                continue;
            using var doc = Json.Parse(file);
            var root = doc.RootElement;
            bos ??= IdValue(root, "bos_token_id", file);
            eos ??= IdValue(root, "eos_token_id", file);
            pad ??= IdValue(root, "pad_token_id", file);
        }
        return new SpecialTokenConfig(bos, eos, pad, addBos);
    }

    /// <summary>The added tokens of tokenizer_config.json's added_tokens_decoder ({"id": {"content": ...}}), if any.</summary>
    public static Dictionary<string, int> AddedTokens(string dir)
    {
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        var file = Path.Combine(dir, "tokenizer_config.json");
        if (!File.Exists(file))
            return result;
        using var doc = Json.Parse(file);
        if (
            doc.RootElement.ValueKind != JsonValueKind.Object
            || !doc.RootElement.TryGetProperty("added_tokens_decoder", out var decoder)
            || decoder.ValueKind != JsonValueKind.Object
        )
            return result;
        foreach (var p in decoder.EnumerateObject())
        {
            if (
                !int.TryParse(p.Name, out var id)
                || p.Value.ValueKind != JsonValueKind.Object
                || !p.Value.TryGetProperty("content", out var c)
                || c.ValueKind != JsonValueKind.String
            )
                throw new TokenizerLoadException(
                    file,
                    $"added_tokens_decoder entry \"{p.Name}\" is malformed"
                );
            result[c.GetString()!] = id;
        }
        return result;
    }

    static int? TokenId(JsonElement root, string key, ITokenizerEngine engine, string file)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new TokenizerLoadException(file, "is not a JSON object");
        if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null)
            return null;
        var content = v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object
                when v.TryGetProperty("content", out var c)
                    && c.ValueKind == JsonValueKind.String => c.GetString(),
            _ => throw new TokenizerLoadException(
                file,
                $"{key} is neither a string nor an object with \"content\""
            ),
        };
        return engine.TokenToId(content!)
            ?? throw new TokenizerLoadException(
                file,
                $"{key} \"{content}\" is not in the tokenizer's vocabulary"
            );
    }

    static int? IdValue(JsonElement root, string key, string file)
    {
        if (root.ValueKind != JsonValueKind.Object)
            throw new TokenizerLoadException(file, "is not a JSON object");
        if (!root.TryGetProperty(key, out var v))
            return null;
        return v.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Number when v.TryGetInt32(out var id) => id,
            JsonValueKind.Array when v.GetArrayLength() == 0 => null,
            JsonValueKind.Array when v[0].TryGetInt32(out var first) => first,
            _ => throw new TokenizerLoadException(
                file,
                $"{key} is not an integer, a list of integers or null"
            ),
        };
    }
}
