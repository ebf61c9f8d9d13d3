namespace EvoMerge.Checkpoints.Tokenizers.Training;

/// <summary>
/// Settings of <see cref="SentencePieceBpeTrainer"/>, named after sentencepiece's trainer flags.
/// Ids are fixed Llama-style: unk = 0, bos = 1, eos = 2, pad = 3 when <see cref="AddPadPiece"/>,
/// then the 256 byte pieces when <see cref="ByteFallback"/>, then merged pieces, then characters.
/// </summary>
public sealed record SentencePieceTrainerOptions
{
    /// <summary>Total number of pieces, special and byte pieces included (vocab_size).</summary>
    public int VocabSize { get; init; } = 1024;

    /// <summary>Add the 256 <c>&lt;0xNN&gt;</c> pieces so any text can be encoded (byte_fallback).</summary>
    public bool ByteFallback { get; init; } = true;

    /// <summary>Never merge a digit 0-9 with anything (split_digits).</summary>
    public bool SplitDigits { get; init; } = true;

    /// <summary>Put U+2581 in front of every line, so a first word looks like the others (add_dummy_prefix).</summary>
    public bool AddDummyPrefix { get; init; } = true;

    /// <summary>Allow pieces made only of whitespace, such as "▁▁" (allow_whitespace_only_pieces).</summary>
    public bool AllowWhitespaceOnlyPieces { get; init; } = true;

    /// <summary>Never merge characters of different scripts; Han, Hiragana and Katakana count as one (split_by_unicode_script).</summary>
    public bool SplitByUnicodeScript { get; init; } = true;

    /// <summary>Reserve id 3 for <c>&lt;pad&gt;</c>.</summary>
    public bool AddPadPiece { get; init; }

    /// <summary>Longest piece, in characters (max_sentencepiece_length).</summary>
    public int MaxPieceLength { get; init; } = 16;

    /// <summary>
    /// Keep the most frequent characters that together cover this share of the corpus
    /// (character_coverage); rarer characters get no piece and fall back to bytes.
    /// </summary>
    public double CharacterCoverage { get; init; } = 0.9995;
}
