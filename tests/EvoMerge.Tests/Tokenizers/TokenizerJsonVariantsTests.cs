using System.Text.Json.Nodes;
using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Tokenizers;

/// <summary>Other spellings of the same tokenizer must give the same ids.</summary>
public sealed class TokenizerJsonVariantsTests
{
    static readonly string Gpt2Regex =
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    [Fact]
    public void Qwen2_style_sequence_pre_tokenizer_nfc_normalizer_and_string_merges_give_the_same_ids()
    {
        var json = JsonNode.Parse(
            File.ReadAllText(Fixtures.Path("tokenizers/byte-level-bpe/tokenizer.json"))
        )!;
        // Qwen2 writes: NFC, then Sequence[Split(regex, Isolated), ByteLevel(use_regex: false)].
        json["normalizer"] = JsonNode.Parse("""{"type": "NFC"}""");
        json["pre_tokenizer"] = new JsonObject
        {
            ["type"] = "Sequence",
            ["pretokenizers"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "Split",
                    ["pattern"] = new JsonObject { ["Regex"] = Gpt2Regex },
                    ["behavior"] = "Isolated",
                    ["invert"] = false,
                },
                JsonNode.Parse(
                    """{"type": "ByteLevel", "add_prefix_space": false, "trim_offsets": false, "use_regex": false}"""
                )
            ),
        };
        // Older files write merges as "a b" strings.
        var merges = json["model"]!["merges"]!.AsArray();
        var asStrings = new JsonArray(
            merges
                .Select(m => (JsonNode)(m![0]!.GetValue<string>() + " " + m[1]!.GetValue<string>()))
                .ToArray()
        );
        json["model"]!["merges"] = asStrings;
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), json.ToJsonString());

        var tokenizer = TokenizerLoader.Load(dir);

        foreach (
            var c in TokenizerCase
                .For("byte-level-bpe")
                .Select(o => TokenizerCase.Get("byte-level-bpe", (int)o[0]))
        )
        {
            Assert.Equal(c.Ids, tokenizer.Encode(c.Text));
            Assert.Equal(c.Decoded, tokenizer.Decode(c.Ids));
        }
    }

    [Fact]
    public void Unsupported_pre_tokenizer_is_named()
    {
        var json = JsonNode.Parse(
            File.ReadAllText(Fixtures.Path("tokenizers/byte-level-bpe/tokenizer.json"))
        )!;
        json["pre_tokenizer"] = JsonNode.Parse("""{"type": "Metaspace", "replacement": "▁"}""");
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        var path = Path.Combine(dir, "tokenizer.json");
        File.WriteAllText(path, json.ToJsonString());

        var e = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(dir));

        Assert.Equal(path, e.Path);
        Assert.Contains("Metaspace", e.Message);
    }

    [Fact]
    public void A_unigram_sentencepiece_model_is_refused_by_name()
    {
        var real = SentencePieceModel.Load(
            Fixtures.Path("tokenizers/sentencepiece-bpe/tokenizer.model")
        );
        var unigram = new SentencePieceModel(
            real.Pieces,
            real.TrainerSpec with
            {
                ModelType = 1,
            },
            real.NormalizerSpec
        );
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        var path = Path.Combine(dir, "tokenizer.model");
        unigram.Save(path);

        var e = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(dir));

        Assert.Equal(path, e.Path);
        Assert.Contains("model_type 1", e.Message);
    }
}
