using EvoMerge.Checkpoints.Tokenizers;
using EvoMerge.Checkpoints.Tokenizers.Training;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Tokenizers;

/// <summary>The model file reader/writer, checked against a tokenizer.model written by sentencepiece itself.</summary>
public sealed class SentencePieceModelTests
{
    static readonly string RealModel = Fixtures.Path(
        "tokenizers/sentencepiece-bpe/tokenizer.model"
    );

    static List<(int Number, int WireType)> Fields(ReadOnlyMemory<byte> message) =>
        ProtoWire.ReadFields(message).Select(f => (f.Number, f.WireType)).Distinct().ToList();

    [Fact]
    public void Reads_the_settings_of_a_real_sentencepiece_model()
    {
        var model = SentencePieceModel.Load(RealModel);

        Assert.Equal(512, model.Pieces.Count);
        Assert.Equal(new SentencePiece("<unk>", 0, SentencePieceType.Unknown), model.Pieces[0]);
        Assert.Equal(new SentencePiece("<s>", 0, SentencePieceType.Control), model.Pieces[1]);
        Assert.Equal(new SentencePiece("</s>", 0, SentencePieceType.Control), model.Pieces[2]);
        Assert.Equal(new SentencePiece("<0x00>", 0, SentencePieceType.Byte), model.Pieces[3]);
        Assert.Equal(new SentencePiece("▁a", 0, SentencePieceType.Normal), model.Pieces[259]);
        Assert.Equal(new SentencePiece("he", -1, SentencePieceType.Normal), model.Pieces[260]);
        var t = model.TrainerSpec;
        Assert.Equal(
            (2, 512, true, true, true),
            (t.ModelType, t.VocabSize, t.ByteFallback, t.SplitDigits, t.AllowWhitespaceOnlyPieces)
        );
        Assert.Equal((0, 1, 2, -1), (t.UnkId, t.BosId, t.EosId, t.PadId));
        Assert.Equal(
            new SentencePieceNormalizerSpec
            {
                Name = "identity",
                AddDummyPrefix = true,
                RemoveExtraWhitespaces = false,
            },
            model.NormalizerSpec
        );
    }

    [Fact]
    public void Our_file_carries_the_fields_a_real_file_carries()
    {
        var real = File.ReadAllBytes(RealModel);
        var ours = SentencePieceBpeTrainer
            .Train(BilingualCorpus.Lines(400), new SentencePieceTrainerOptions { VocabSize = 480 })
            .ToBytes();

        Assert.Equal(Fields(real), Fields(ours)); // pieces (1), trainer_spec (2), normalizer_spec (3)
        ReadOnlyMemory<byte> Spec(byte[] file, int number) =>
            ProtoWire.ReadFields(file).Single(f => f.Number == number).Bytes;
        // Every trainer setting the real file states, except the corpus paths (input = 1,
        // model_prefix = 2) and hard_vocab_limit (33), ours states too, with the same wire type.
        var realTrainer = Fields(Spec(real, 2)).Where(f => f.Number is not (1 or 2 or 33));
        Assert.Empty(realTrainer.Except(Fields(Spec(ours, 2))));
        Assert.Empty(Fields(Spec(real, 3)).Except(Fields(Spec(ours, 3))));
        // Piece messages: piece (1, string), score (2, float), type (3, varint) when not NORMAL.
        var realPieces = ProtoWire
            .ReadFields(real)
            .Where(f => f.Number == 1)
            .Select(f => Fields(f.Bytes));
        var ourPieces = ProtoWire
            .ReadFields(ours)
            .Where(f => f.Number == 1)
            .Select(f => Fields(f.Bytes));
        Assert.Equal(
            realPieces.Take(300).Select(p => p.Count),
            ourPieces.Take(300).Select(p => p.Count)
        );
    }

    [Fact]
    public void Rewriting_the_real_model_keeps_every_case_identical()
    {
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        var model = SentencePieceModel.Load(RealModel);
        model.Save(Path.Combine(dir, "tokenizer.model"));

        var reread = SentencePieceModel.Load(Path.Combine(dir, "tokenizer.model"));
        var tokenizer = TokenizerLoader.Load(dir);

        Assert.Equal(model.Pieces, reread.Pieces);
        Assert.Equal(model.TrainerSpec, reread.TrainerSpec);
        Assert.Equal(model.NormalizerSpec, reread.NormalizerSpec);
        foreach (
            var c in TokenizerCase
                .For("sentencepiece-bpe")
                .Select(o => TokenizerCase.Get("sentencepiece-bpe", (int)o[0]))
        )
        {
            Assert.Equal(c.Ids, tokenizer.Encode(c.Text));
            Assert.Equal(c.Decoded, tokenizer.Decode(c.Ids));
        }
    }

    [Fact]
    public void Truncated_file_is_a_typed_error_naming_it()
    {
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        var path = Path.Combine(dir, "tokenizer.model");
        var bytes = File.ReadAllBytes(RealModel);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var e = Assert.Throws<TokenizerLoadException>(() => TokenizerLoader.Load(dir));

        Assert.Equal(path, e.Path);
        Assert.Contains("SentencePiece", e.Message);
    }

    [Fact]
    public void User_defined_pieces_are_kept_whole()
    {
        var real = SentencePieceModel.Load(RealModel);
        var pieces = real
            .Pieces.Append(new SentencePiece("<tool>", 0, SentencePieceType.UserDefined))
            .ToList();
        using var dirFolder = new TempFolder();
        var dir = dirFolder.Path;
        new SentencePieceModel(pieces, real.TrainerSpec, real.NormalizerSpec).Save(
            Path.Combine(dir, "tokenizer.model")
        );
        var tokenizer = TokenizerLoader.Load(dir);
        var text = "call <tool>now";

        var ids = tokenizer.Encode(text);

        Assert.Contains(512, ids);
        Assert.Equal(text, tokenizer.Decode(ids));
    }
}
