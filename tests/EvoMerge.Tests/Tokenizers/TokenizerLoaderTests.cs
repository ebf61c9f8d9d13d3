using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Tests.Support;
using Microsoft.ML.Tokenizers;
using Xunit;

namespace EvoMerge.Tests.Tokenizers;

public sealed class TokenizerLoaderTests
{
    static readonly Lazy<TextTokenizer> SentencePiece = new(() =>
        TokenizerLoader.Load(Fixtures.Path("tokenizers/sentencepiece-bpe"))
    );
    static readonly Lazy<TextTokenizer> ByteLevel = new(() =>
        TokenizerLoader.Load(Fixtures.Path("tokenizers/byte-level-bpe"))
    );

    // The same byte-level vocabulary through vocab.json + merges.txt only (no tokenizer.json).
    static readonly Lazy<TextTokenizer> ByteLevelFromVocabFiles = new(() =>
    {
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        foreach (var f in new[] { "vocab.json", "merges.txt" })
            File.Copy(Fixtures.Path("tokenizers/byte-level-bpe/" + f), Path.Combine(dir, f));
        return TokenizerLoader.Load(dir);
    });

    public static IEnumerable<object[]> SentencePieceCases =>
        TokenizerCase.For("sentencepiece-bpe");
    public static IEnumerable<object[]> ByteLevelCases => TokenizerCase.For("byte-level-bpe");

    [Theory]
    [MemberData(nameof(SentencePieceCases))]
    public void SentencePiece_ids_pieces_and_decoding_match_sentencepiece(int index)
    {
        var c = TokenizerCase.Get("sentencepiece-bpe", index);
        var tokenizer = SentencePiece.Value;

        var ids = tokenizer.Encode(c.Text);

        Assert.Equal(c.Ids, ids);
        Assert.Equal(c.Pieces, ids.Select(id => tokenizer.IdToToken(id)).ToArray());
        Assert.Equal(c.Decoded, tokenizer.Decode(ids));
    }

    [Theory]
    [MemberData(nameof(ByteLevelCases))]
    public void Byte_level_ids_and_decoding_match_tokenizers(int index)
    {
        var c = TokenizerCase.Get("byte-level-bpe", index);

        var ids = ByteLevel.Value.Encode(c.Text);

        Assert.Equal(c.Ids, ids);
        Assert.Equal(c.Decoded, ByteLevel.Value.Decode(ids));
    }

    [Theory]
    [MemberData(nameof(ByteLevelCases))]
    public void Byte_level_from_vocab_json_and_merges_txt_matches_tokenizers(int index)
    {
        var c = TokenizerCase.Get("byte-level-bpe", index);

        var ids = ByteLevelFromVocabFiles.Value.Encode(c.Text);

        Assert.Equal(c.Ids, ids);
        Assert.Equal(c.Decoded, ByteLevelFromVocabFiles.Value.Decode(ids));
    }

    [Fact]
    public void Library_sentencepiece_encoder_breaks_score_ties_rightmost_which_is_why_we_segment_ourselves()
    {
        // If this starts failing, Microsoft.ML.Tokenizers fixed SymbolPair.CompareTo and
        // SentencePieceBpeEncoder could be replaced by the library's own EncodeToIds.
        var c = TokenizerCase.Get("sentencepiece-bpe", 3);
        Assert.Equal("  leading spaces and trailing  ", c.Text);
        using var stream = File.OpenRead(
            Fixtures.Path("tokenizers/sentencepiece-bpe/tokenizer.model")
        );
        var library = LlamaTokenizer.Create(
            stream,
            addBeginOfSentence: false,
            addEndOfSentence: false
        );

        var libraryIds = library.EncodeToIds(
            c.Text,
            addBeginningOfSentence: false,
            addEndOfSentence: false
        );

        Assert.NotEqual(c.Ids, libraryIds);
        Assert.Equal(c.Ids, SentencePiece.Value.Encode(c.Text));
    }

    /// <summary>What the model folder's own generation_config.json / config.json say (null when unset).</summary>
    static (int? Bos, int? Eos, int? Pad, int VocabSize) ConfigIds(string dir)
    {
        int? Read(string key)
        {
            foreach (var file in new[] { "generation_config.json", "config.json" })
            {
                var path = Path.Combine(dir, file);
                if (!File.Exists(path))
                    continue;
                var node = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(path))![key];
                if (node is not null)
                    return node.GetValue<int>();
            }
            return null;
        }
        var vocab = System.Text.Json.Nodes.JsonNode.Parse(
            File.ReadAllText(Path.Combine(dir, "config.json"))
        )!["vocab_size"]!.GetValue<int>();
        return (Read("bos_token_id"), Read("eos_token_id"), Read("pad_token_id"), vocab);
    }

    [Theory]
    [InlineData("llama-tiny", "sentencepiece-bpe")]
    [InlineData("mistral-tiny-sharded", "sentencepiece-bpe")]
    [InlineData("qwen2-tiny", "byte-level-bpe")]
    public void Model_fixtures_load_with_the_special_ids_and_vocab_size_of_their_configs(
        string model,
        string kind
    )
    {
        var dir = Fixtures.Path("models/" + model);
        var expected = ConfigIds(dir);

        var tokenizer = TokenizerLoader.Load(dir);

        Assert.Equal(kind, tokenizer.Kind);
        Assert.Equal(
            expected,
            (tokenizer.BosId, tokenizer.EosId, tokenizer.PadId, tokenizer.VocabSize)
        );
    }

    [Theory]
    [InlineData("llama-tiny")]
    [InlineData("mistral-tiny-sharded")]
    public void SentencePiece_models_have_llama_special_pieces_and_want_bos(string model)
    {
        var tokenizer = TokenizerLoader.Load(Fixtures.Path("models/" + model));

        Assert.Equal((1, 2), (tokenizer.BosId, tokenizer.EosId));
        Assert.True(tokenizer.AddBosToken);
        Assert.Equal("<s>", tokenizer.IdToToken(1));
        Assert.Equal("</s>", tokenizer.IdToToken(2));
    }

    [Fact]
    public void Qwen2_model_has_eos_from_generation_config_and_no_bos()
    {
        var tokenizer = TokenizerLoader.Load(Fixtures.Path("models/qwen2-tiny"));

        Assert.Null(tokenizer.BosId);
        Assert.Equal(0, tokenizer.EosId);
        Assert.Equal("<|endoftext|>", tokenizer.IdToToken(0));
        Assert.False(tokenizer.AddBosToken);
        Assert.Throws<InvalidOperationException>(() => tokenizer.Encode("hi", addBos: true));
    }

    [Fact]
    public void Both_tokenizers_give_the_same_ids_when_shared_across_threads()
    {
        var cases = TokenizerCase
            .For("sentencepiece-bpe")
            .Select(o => (SentencePiece.Value, TokenizerCase.Get("sentencepiece-bpe", (int)o[0])))
            .Concat(
                TokenizerCase
                    .For("byte-level-bpe")
                    .Select(o => (ByteLevel.Value, TokenizerCase.Get("byte-level-bpe", (int)o[0])))
            )
            .ToArray();
        var mismatches = 0;

        Parallel.For(
            0,
            cases.Length * 50,
            i =>
            {
                var (tokenizer, c) = cases[i % cases.Length];
                if (!tokenizer.Encode(c.Text).SequenceEqual(c.Ids))
                    Interlocked.Increment(ref mismatches);
            }
        );

        Assert.Equal(0, mismatches);
    }

    [Fact]
    public void Encode_with_bos_puts_the_bos_id_first()
    {
        var c = TokenizerCase.Get("sentencepiece-bpe", 0);

        var ids = SentencePiece.Value.Encode(c.Text, addBos: true);

        Assert.Equal(new[] { 1 }.Concat(c.Ids), ids);
        Assert.Equal(c.Text, SentencePiece.Value.Decode(ids));
        Assert.Equal("<s>" + c.Text, SentencePiece.Value.Decode(ids, skipSpecial: false));
    }

    [Fact]
    public void Byte_level_added_tokens_are_single_ids_and_skippable_on_decode()
    {
        var ids = ByteLevel.Value.Encode("hi<|im_end|>there");

        Assert.Contains(2, ids);
        Assert.Equal("hithere", ByteLevel.Value.Decode(ids));
        Assert.Equal("hi<|im_end|>there", ByteLevel.Value.Decode(ids, skipSpecial: false));
    }

    [Fact]
    public void Tokenizer_config_wins_over_generation_config_which_wins_over_config()
    {
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        File.Copy(
            Fixtures.Path("tokenizers/sentencepiece-bpe/tokenizer.model"),
            Path.Combine(dir, "tokenizer.model")
        );
        File.WriteAllText(
            Path.Combine(dir, "tokenizer_config.json"),
            """{"bos_token": {"content": "</s>", "lstrip": false}, "add_bos_token": false}"""
        );
        File.WriteAllText(
            Path.Combine(dir, "generation_config.json"),
            """{"bos_token_id": 5, "eos_token_id": [7, 2]}"""
        );
        File.WriteAllText(
            Path.Combine(dir, "config.json"),
            """{"bos_token_id": 6, "eos_token_id": 8, "pad_token_id": 9}"""
        );

        var tokenizer = TokenizerLoader.Load(dir);

        Assert.Equal(2, tokenizer.BosId); // tokenizer_config's "</s>"
        Assert.Equal(7, tokenizer.EosId); // generation_config, first of the list
        Assert.Equal(9, tokenizer.PadId); // config.json
        Assert.False(tokenizer.AddBosToken);
    }

    [Fact]
    public void Without_configs_a_sentencepiece_model_uses_its_own_trainer_spec_ids()
    {
        var tokenizer = SentencePiece.Value; // the fixture folder holds only tokenizer.model

        Assert.Equal((1, 2), (tokenizer.BosId, tokenizer.EosId));
        Assert.Null(tokenizer.PadId); // pad_id -1 in the model
    }

    [Fact]
    public void Missing_folder_and_empty_folder_are_named()
    {
        using var missingFolder = new TempFolder();
        var missing = Path.Combine(missingFolder.Path, "nope");
        var e1 = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(missing));
        Assert.Equal(missing, e1.Path);

        using var emptyFolder = new TempFolder();

        var empty = emptyFolder.Path;
        var e2 = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(empty));
        Assert.Contains("no tokenizer found", e2.Message);
    }

    [Theory]
    [InlineData("tokenizer.model", "this is not a protobuf", "SentencePiece")]
    [InlineData("tokenizer.json", "{\"model\": {\"type\": \"BPE\", \"vocab\": ", "not valid JSON")]
    [InlineData(
        "tokenizer.json",
        "{\"model\": {\"type\": \"WordPiece\", \"vocab\": {\"a\": 0}}}",
        "only BPE"
    )]
    public void Garbled_files_raise_one_typed_exception_naming_the_file(
        string file,
        string content,
        string problem
    )
    {
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        var path = Path.Combine(dir, file);
        File.WriteAllText(path, content);

        var e = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(dir));

        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_special_token_missing_from_the_vocabulary_is_reported()
    {
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        File.Copy(
            Fixtures.Path("tokenizers/sentencepiece-bpe/tokenizer.model"),
            Path.Combine(dir, "tokenizer.model")
        );
        var config = Path.Combine(dir, "tokenizer_config.json");
        File.WriteAllText(config, """{"eos_token": "<|eot|>"}""");

        var e = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(dir));

        Assert.Equal(config, e.Path);
        Assert.Contains("<|eot|>", e.Message);
    }
}
