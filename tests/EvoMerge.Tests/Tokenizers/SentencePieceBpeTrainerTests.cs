using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Checkpoints.Tokenizers.Training;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Tokenizers;

public sealed class SentencePieceBpeTrainerTests
{
    static readonly SentencePieceTrainerOptions Options = new() { VocabSize = 560 };
    static readonly Lazy<List<string>> Corpus = new(() => BilingualCorpus.Lines(400));
    static readonly Lazy<(string Dir, TextTokenizer Tokenizer)> Trained = new(() =>
    {
        // Shared by the tests of this class, so it lives until the test process exits.
        var dirFolder = new TempFolder();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => dirFolder.Dispose();
        var dir = dirFolder.Path;
        SentencePieceBpeTrainer
            .Train(Corpus.Value, Options)
            .Save(Path.Combine(dir, "tokenizer.model"));
        return (dir, TokenizerLoader.Load(dir));
    });

    [Theory]
    [InlineData("Natalia sold 48 clips to her friends in April.")]
    [InlineData("ナタリアは4月に48個のクリップを売りました。残りはいくつですか？")]
    [InlineData("  two leading spaces, and two trailing  ")]
    [InlineData("Ω≈ç 🙂 zebra\ttab\nnewline 量子")]
    [InlineData("")]
    public void Round_trips_english_japanese_whitespace_and_unseen_characters(string text)
    {
        var tokenizer = Trained.Value.Tokenizer;

        var ids = tokenizer.Encode(text);

        Assert.Equal(text, tokenizer.Decode(ids));
        Assert.All(ids, id => Assert.InRange(id, 0, Options.VocabSize - 1));
    }

    [Fact]
    public void Loads_as_a_sentencepiece_bpe_with_exactly_the_asked_vocab_and_llama_ids()
    {
        var tokenizer = Trained.Value.Tokenizer;

        Assert.Equal("sentencepiece-bpe", tokenizer.Kind);
        Assert.Equal(Options.VocabSize, tokenizer.VocabSize);
        Assert.Equal((1, 2), (tokenizer.BosId, tokenizer.EosId));
        Assert.Null(tokenizer.PadId);
        Assert.Equal("<unk>", tokenizer.IdToToken(0));
        Assert.Equal("<0x00>", tokenizer.IdToToken(3));
        Assert.Equal("<0xFF>", tokenizer.IdToToken(258));
    }

    [Fact]
    public void Frequent_words_become_single_pieces()
    {
        var tokenizer = Trained.Value.Tokenizer;

        var pieces = tokenizer.Encode("Natalia sold clips").Select(tokenizer.IdToToken);

        Assert.Equal(["▁Natalia", "▁sold", "▁clips"], pieces);
    }

    [Fact]
    public void Digits_are_single_pieces()
    {
        var tokenizer = Trained.Value.Tokenizer;

        var pieces = tokenizer
            .Encode("12345 and 48")
            .Select(id => tokenizer.IdToToken(id)!)
            .ToList();

        Assert.Equal(["1", "2", "3", "4", "5"], pieces.Skip(1).Take(5));
        Assert.All(pieces.Where(p => p.Any(char.IsAsciiDigit)), p => Assert.Equal(1, p.Length));
    }

    [Fact]
    public void Unseen_characters_fall_back_to_bytes()
    {
        var tokenizer = Trained.Value.Tokenizer;

        var pieces = tokenizer.Encode("Ω").Select(tokenizer.IdToToken);

        Assert.Equal(["▁", "<0xCE>", "<0xA9>"], pieces);
    }

    [Fact]
    public void Training_twice_gives_byte_identical_files()
    {
        using var againFolder = new TempFolder();
        var again = againFolder.Path;
        SentencePieceBpeTrainer
            .Train(BilingualCorpus.Lines(400), Options)
            .Save(Path.Combine(again, "tokenizer.model"));

        Assert.Equal(
            File.ReadAllBytes(Path.Combine(Trained.Value.Dir, "tokenizer.model")),
            File.ReadAllBytes(Path.Combine(again, "tokenizer.model"))
        );
    }

    [Fact]
    public void Pad_piece_takes_id_3_and_shifts_the_bytes()
    {
        var options = Options with { AddPadPiece = true, VocabSize = 561 };
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        SentencePieceBpeTrainer
            .Train(Corpus.Value, options)
            .Save(Path.Combine(dir, "tokenizer.model"));

        var tokenizer = TokenizerLoader.Load(dir);

        Assert.Equal(3, tokenizer.PadId);
        Assert.Equal("<pad>", tokenizer.IdToToken(3));
        Assert.Equal("<0x00>", tokenizer.IdToToken(4));
        Assert.Equal(561, tokenizer.VocabSize);
        var text = "ナタリアは48個の本を買いました。";
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void Scores_fall_with_merge_rank_and_characters_come_last()
    {
        var model = SentencePieceBpeTrainer.Train(Corpus.Value, Options);

        var normal = model.Pieces.Where(p => p.Type == SentencePieceType.Normal).ToList();
        Assert.Equal(Options.VocabSize - 259, normal.Count);
        Assert.Equal(
            Enumerable.Range(0, normal.Count).Select(i => (float)-i),
            normal.Select(p => p.Score)
        );
        int firstSingle = normal.FindIndex(p =>
            p.Piece.EnumerateRunes().Count() == 1 && p.Piece != "▁▁"
        );
        Assert.All(normal.Skip(firstSingle), p => Assert.Single(p.Piece.EnumerateRunes()));
        Assert.All(normal.Take(firstSingle), p => Assert.True(p.Piece.Length >= 2));
    }

    [Fact]
    public void A_vocab_too_small_for_the_alphabet_is_refused_with_the_reason()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            SentencePieceBpeTrainer.Train(Corpus.Value, Options with { VocabSize = 300 })
        );

        Assert.Contains("CharacterCoverage", e.Message);
    }

    [Fact]
    public void A_corpus_too_small_for_the_vocab_is_refused_with_the_reason()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            SentencePieceBpeTrainer.Train(["ab ab"], Options with { VocabSize = 300 })
        );

        Assert.Contains("allows only", e.Message);
    }
}
