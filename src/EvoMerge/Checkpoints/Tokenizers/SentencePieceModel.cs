using EvoMerge.Common;

namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>The kind of a SentencePiece vocabulary entry (<c>ModelProto.SentencePiece.Type</c>).</summary>
public enum SentencePieceType
{
    /// <summary>An ordinary piece that segmentation may produce.</summary>
    Normal = 1,

    /// <summary>The unknown piece (<c>&lt;unk&gt;</c>).</summary>
    Unknown = 2,

    /// <summary>A control symbol such as <c>&lt;s&gt;</c> or <c>&lt;/s&gt;</c>: never produced from text.</summary>
    Control = 3,

    /// <summary>A user-defined symbol, always kept whole.</summary>
    UserDefined = 4,

    /// <summary>A piece that is in the vocabulary but resegmented when produced.</summary>
    Unused = 5,

    /// <summary>A byte-fallback piece <c>&lt;0xNN&gt;</c>.</summary>
    Byte = 6,
}

/// <summary>One vocabulary entry: its text (whitespace written as U+2581), score and kind.</summary>
public readonly record struct SentencePiece(string Piece, float Score, SentencePieceType Type);

/// <summary>
/// The <c>TrainerSpec</c> fields this project reads and writes; absent fields take the proto2
/// defaults of sentencepiece_model.proto.
/// </summary>
public sealed record SentencePieceTrainerSpec
{
    /// <summary>1 = unigram, 2 = BPE (field 3).</summary>
    public int ModelType { get; init; } = 1;
    public int VocabSize { get; init; } = 8000;
    public float CharacterCoverage { get; init; } = 0.9995f;
    public int MaxPieceLength { get; init; } = 16;
    public bool SplitByUnicodeScript { get; init; } = true;
    public bool SplitByWhitespace { get; init; } = true;
    public bool SplitByNumber { get; init; } = true;
    public bool TreatWhitespaceAsSuffix { get; init; }
    public bool SplitDigits { get; init; }
    public bool AllowWhitespaceOnlyPieces { get; init; }
    public bool ByteFallback { get; init; }
    public int UnkId { get; init; }
    public int BosId { get; init; } = 1;
    public int EosId { get; init; } = 2;

    /// <summary>-1 when the model has no padding piece.</summary>
    public int PadId { get; init; } = -1;
    public string UnkPiece { get; init; } = "<unk>";
    public string BosPiece { get; init; } = "<s>";
    public string EosPiece { get; init; } = "</s>";
    public string PadPiece { get; init; } = "<pad>";
}

/// <summary>The <c>NormalizerSpec</c> fields this project reads and writes (precompiled charsmaps are left to the tokenizer library).</summary>
public sealed record SentencePieceNormalizerSpec
{
    public string Name { get; init; } = "";
    public bool AddDummyPrefix { get; init; } = true;
    public bool RemoveExtraWhitespaces { get; init; } = true;
    public bool EscapeWhitespaces { get; init; } = true;

    /// <summary>Length in bytes of the precompiled normalization rules (0 for the identity rule).</summary>
    public int PrecompiledCharsmapLength { get; init; }
}

/// <summary>
/// A SentencePiece <c>tokenizer.model</c> (a serialized <c>sentencepiece.ModelProto</c>): its
/// pieces in id order plus the trainer and normalizer settings that change encoding.
/// Field numbers follow google/sentencepiece <c>src/sentencepiece_model.proto</c>:
/// ModelProto { pieces = 1; trainer_spec = 2; normalizer_spec = 3 },
/// SentencePiece { piece = 1; score = 2; type = 3 },
/// TrainerSpec { model_type = 3; vocab_size = 4; character_coverage = 10; max_sentencepiece_length = 20;
/// split_by_unicode_script = 21; split_by_whitespace = 22; split_by_number = 23;
/// treat_whitespace_as_suffix = 24; split_digits = 25; allow_whitespace_only_pieces = 26;
/// byte_fallback = 35; unk_id = 40; bos_id = 41; eos_id = 42; pad_id = 43; unk_piece = 45;
/// bos_piece = 46; eos_piece = 47; pad_piece = 48 },
/// NormalizerSpec { name = 1; precompiled_charsmap = 2; add_dummy_prefix = 3;
/// remove_extra_whitespaces = 4; escape_whitespaces = 5 }.
/// </summary>
public sealed class SentencePieceModel
{
    /// <summary>Creates a model from its parts (used by the trainer).</summary>
    public SentencePieceModel(
        IReadOnlyList<SentencePiece> pieces,
        SentencePieceTrainerSpec trainerSpec,
        SentencePieceNormalizerSpec normalizerSpec
    )
    {
        ArgumentNullException.ThrowIfNull(pieces);
        Pieces = pieces.ToArray();
        TrainerSpec = trainerSpec ?? throw new ArgumentNullException(nameof(trainerSpec));
        NormalizerSpec = normalizerSpec ?? throw new ArgumentNullException(nameof(normalizerSpec));
    }

    /// <summary>The vocabulary; a piece's index is its id.</summary>
    public IReadOnlyList<SentencePiece> Pieces { get; }

    public SentencePieceTrainerSpec TrainerSpec { get; }

    public SentencePieceNormalizerSpec NormalizerSpec { get; }

    /// <summary>Reads a <c>tokenizer.model</c> file.</summary>
    /// <exception cref="TokenizerLoadException">The file is missing or not a SentencePiece model.</exception>
    public static SentencePieceModel Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerLoadException(path, "cannot be read: " + e.Message, e);
        }
        try
        {
            return Parse(bytes);
        }
        catch (FormatException e)
        {
            throw new TokenizerLoadException(
                path,
                "is not a SentencePiece model (protobuf ModelProto): " + e.Message,
                e
            );
        }
    }

    /// <summary>Parses a serialized ModelProto; throws <see cref="FormatException"/> when it is not one.</summary>
    public static SentencePieceModel Parse(ReadOnlyMemory<byte> bytes)
    {
        var pieces = new List<SentencePiece>();
        var trainer = new SentencePieceTrainerSpec();
        var normalizer = new SentencePieceNormalizerSpec();
        foreach (var field in ProtoWire.ReadFields(bytes))
        {
            switch (field.Number, field.WireType)
            {
                case (1, 2):
                    pieces.Add(ParsePiece(field.Bytes, pieces.Count));
                    break;
                case (2, 2):
                    trainer = ParseTrainerSpec(field.Bytes);
                    break;
                case (3, 2):
                    normalizer = ParseNormalizerSpec(field.Bytes);
                    break;
                case (1 or 2 or 3, _):
                    throw new FormatException(
                        $"field {field.Number} has wire type {field.WireType}"
                    );
            }
        }
        if (pieces.Count == 0)
            throw new FormatException("no pieces");
        return new SentencePieceModel(pieces, trainer, normalizer);
    }

    static SentencePiece ParsePiece(ReadOnlyMemory<byte> bytes, int id)
    {
        string? piece = null;
        float score = 0;
        var type = SentencePieceType.Normal;
        foreach (var f in ProtoWire.ReadFields(bytes))
        {
            switch (f.Number)
            {
                case 1:
                    piece = f.String;
                    break;
                case 2:
                    score = f.Float;
                    break;
                case 3:
                    type = (SentencePieceType)f.Int32;
                    if (!Enum.IsDefined(type))
                        throw new FormatException($"piece {id} has unknown type {f.Int32}");
                    break;
            }
        }
        if (string.IsNullOrEmpty(piece))
            throw new FormatException($"piece {id} is empty");
        return new SentencePiece(piece, score, type);
    }

    static SentencePieceTrainerSpec ParseTrainerSpec(ReadOnlyMemory<byte> bytes)
    {
        var s = new SentencePieceTrainerSpec();
        foreach (var f in ProtoWire.ReadFields(bytes))
        {
            s = f.Number switch
            {
                3 => s with { ModelType = f.Int32 },
                4 => s with { VocabSize = f.Int32 },
                10 => s with { CharacterCoverage = f.Float },
                20 => s with { MaxPieceLength = f.Int32 },
                21 => s with { SplitByUnicodeScript = f.Bool },
                22 => s with { SplitByWhitespace = f.Bool },
                23 => s with { SplitByNumber = f.Bool },
                24 => s with { TreatWhitespaceAsSuffix = f.Bool },
                25 => s with { SplitDigits = f.Bool },
                26 => s with { AllowWhitespaceOnlyPieces = f.Bool },
                35 => s with { ByteFallback = f.Bool },
                40 => s with { UnkId = f.Int32 },
                41 => s with { BosId = f.Int32 },
                42 => s with { EosId = f.Int32 },
                43 => s with { PadId = f.Int32 },
                45 => s with { UnkPiece = f.String },
                46 => s with { BosPiece = f.String },
                47 => s with { EosPiece = f.String },
                48 => s with { PadPiece = f.String },
                _ => s,
            };
        }
        return s;
    }

    static SentencePieceNormalizerSpec ParseNormalizerSpec(ReadOnlyMemory<byte> bytes)
    {
        var s = new SentencePieceNormalizerSpec();
        foreach (var f in ProtoWire.ReadFields(bytes))
        {
            s = f.Number switch
            {
                1 => s with { Name = f.String },
                2 => s with { PrecompiledCharsmapLength = f.Bytes.Length },
                3 => s with { AddDummyPrefix = f.Bool },
                4 => s with { RemoveExtraWhitespaces = f.Bool },
                5 => s with { EscapeWhitespaces = f.Bool },
                _ => s,
            };
        }
        return s;
    }

    /// <summary>
    /// Serializes the model as a ModelProto, fields in number order like protobuf's own
    /// serializers; every modelled setting is written explicitly (no reliance on defaults).
    /// An identity normalizer (no precompiled charsmap) is written.
    /// </summary>
    public byte[] ToBytes()
    {
        if (NormalizerSpec.PrecompiledCharsmapLength != 0)
            throw new InvalidOperationException(
                "cannot write a model with a precompiled charsmap (only identity normalization is supported)"
            );
        using var output = new MemoryStream();
        using var part = new MemoryStream();
        foreach (var p in Pieces)
        {
            part.SetLength(0);
            ProtoWire.WriteString(part, 1, p.Piece);
            ProtoWire.WriteFloat(part, 2, p.Score);
            if (p.Type != SentencePieceType.Normal)
                ProtoWire.WriteInt32(part, 3, (int)p.Type);
            ProtoWire.WriteBytes(output, 1, part.GetBuffer().AsSpan(0, (int)part.Length));
        }

        var t = TrainerSpec;
        part.SetLength(0);
        ProtoWire.WriteInt32(part, 3, t.ModelType);
        ProtoWire.WriteInt32(part, 4, t.VocabSize);
        ProtoWire.WriteFloat(part, 10, t.CharacterCoverage);
        ProtoWire.WriteInt32(part, 20, t.MaxPieceLength);
        ProtoWire.WriteBool(part, 21, t.SplitByUnicodeScript);
        ProtoWire.WriteBool(part, 22, t.SplitByWhitespace);
        ProtoWire.WriteBool(part, 23, t.SplitByNumber);
        ProtoWire.WriteBool(part, 24, t.TreatWhitespaceAsSuffix);
        ProtoWire.WriteBool(part, 25, t.SplitDigits);
        ProtoWire.WriteBool(part, 26, t.AllowWhitespaceOnlyPieces);
        ProtoWire.WriteBool(part, 35, t.ByteFallback);
        ProtoWire.WriteInt32(part, 40, t.UnkId);
        ProtoWire.WriteInt32(part, 41, t.BosId);
        ProtoWire.WriteInt32(part, 42, t.EosId);
        ProtoWire.WriteInt32(part, 43, t.PadId);
        ProtoWire.WriteString(part, 45, t.UnkPiece);
        ProtoWire.WriteString(part, 46, t.BosPiece);
        ProtoWire.WriteString(part, 47, t.EosPiece);
        ProtoWire.WriteString(part, 48, t.PadPiece);
        ProtoWire.WriteBytes(output, 2, part.GetBuffer().AsSpan(0, (int)part.Length));

        var n = NormalizerSpec;
        part.SetLength(0);
        ProtoWire.WriteString(part, 1, n.Name);
        ProtoWire.WriteBytes(part, 2, ReadOnlySpan<byte>.Empty);
        ProtoWire.WriteBool(part, 3, n.AddDummyPrefix);
        ProtoWire.WriteBool(part, 4, n.RemoveExtraWhitespaces);
        ProtoWire.WriteBool(part, 5, n.EscapeWhitespaces);
        ProtoWire.WriteBytes(output, 3, part.GetBuffer().AsSpan(0, (int)part.Length));
        return output.ToArray();
    }

    /// <summary>Writes <see cref="ToBytes"/> to <paramref name="path"/> atomically (<see cref="AtomicFile"/>).</summary>
    public void Save(string path) => AtomicFile.WriteAllBytes(path, ToBytes());
}
