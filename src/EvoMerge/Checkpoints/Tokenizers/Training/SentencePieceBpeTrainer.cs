using System.Text;

namespace EvoMerge.Checkpoints.Tokenizers.Training;

/// <summary>
/// Trains a SentencePiece BPE tokenizer in process, following google/sentencepiece
/// <c>src/bpe_model_trainer.cc</c>: lines are normalized (identity rule; spaces escaped as U+2581,
/// a dummy prefix added) and split into whitespace-led words; the characters covering
/// <see cref="SentencePieceTrainerOptions.CharacterCoverage"/> of the text form the alphabet (the
/// rest fall back to bytes); then the most frequent adjacent pair of symbols that makes a valid
/// piece is merged, again and again, and the i-th merged piece gets score -i, so encoding replays
/// merges in training order. Deterministic: frequency ties go to the pair of lower symbol ids
/// (characters are numbered by frequency then code point, merged symbols by creation), so the same
/// lines and options give a byte-identical model.
/// </summary>
/// <example>
/// <code>
/// var model = SentencePieceBpeTrainer.Train(lines, new SentencePieceTrainerOptions { VocabSize = 1024 });
/// model.Save(Path.Combine(modelDir, "tokenizer.model"));
/// var tokenizer = TokenizerLoader.Load(modelDir);
/// </code>
/// </example>
public static class SentencePieceBpeTrainer
{
    internal const char WhitespaceMark = '\u2581';
    internal const int UnknownSymbol = -1;

    /// <summary>Trains on <paramref name="lines"/> (one sentence or paragraph each; empty lines are skipped).</summary>
    /// <exception cref="ArgumentException">The options are invalid, or the vocabulary size cannot be reached exactly with this corpus.</exception>
    public static SentencePieceModel Train(
        IEnumerable<string> lines,
        SentencePieceTrainerOptions options
    )
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(options);
        Validate(options);

        var words = CountWords(lines, options);
        var alphabet = ChooseAlphabet(words, options.CharacterCoverage);
        int reserved = (options.AddPadPiece ? 4 : 3) + (options.ByteFallback ? 256 : 0);
        int mergesWanted = options.VocabSize - reserved - alphabet.Count;
        if (mergesWanted < 0)
            throw new ArgumentException(
                $"vocab size {options.VocabSize} is smaller than the {reserved} special/byte pieces plus the "
                    + $"{alphabet.Count} characters needed for coverage {options.CharacterCoverage}: "
                    + "raise VocabSize or lower CharacterCoverage",
                nameof(options)
            );

        var merges = new BpeMerger(words, alphabet, options).Run(mergesWanted);
        if (merges.Count < mergesWanted)
            throw new ArgumentException(
                $"the corpus allows only {merges.Count} merges but vocab size {options.VocabSize} needs "
                    + $"{mergesWanted}: give more text or a smaller VocabSize",
                nameof(lines)
            );
        return BuildModel(merges, alphabet, options);
    }

    static void Validate(SentencePieceTrainerOptions o)
    {
        if (o.VocabSize < 4 || o.VocabSize > 1_000_000)
            throw new ArgumentOutOfRangeException(
                nameof(o),
                o.VocabSize,
                "VocabSize must be in [4, 1e6]"
            );
        if (o.MaxPieceLength < 1)
            throw new ArgumentOutOfRangeException(
                nameof(o),
                o.MaxPieceLength,
                "MaxPieceLength must be positive"
            );
        if (!(o.CharacterCoverage > 0 && o.CharacterCoverage <= 1))
            throw new ArgumentOutOfRangeException(
                nameof(o),
                o.CharacterCoverage,
                "CharacterCoverage must be in (0, 1]"
            );
    }

    /// <summary>Normalized words with their counts, in ordinal order (for determinism).</summary>
    static List<(string Word, long Count)> CountWords(
        IEnumerable<string> lines,
        SentencePieceTrainerOptions options
    )
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        var normalized = new StringBuilder();
        foreach (var line in lines)
        {
            if (string.IsNullOrEmpty(line))
                continue;
            normalized.Clear();
            if (options.AddDummyPrefix)
                normalized.Append(WhitespaceMark);
            normalized.Append(line).Replace(' ', WhitespaceMark);
            var text = normalized.ToString();
            int start = 0;
            for (int i = 1; i <= text.Length; i++)
            {
                // A word starts at a whitespace mark; with whitespace-only pieces allowed, a run of
                // marks stays together with the word that follows it (sentencepiece's SplitIntoWords).
                bool boundary =
                    i == text.Length
                    || (
                        text[i] == WhitespaceMark
                        && (!options.AllowWhitespaceOnlyPieces || text[i - 1] != WhitespaceMark)
                    );
                if (!boundary)
                    continue;
                var word = text[start..i];
                counts[word] = counts.GetValueOrDefault(word) + 1;
                start = i;
            }
        }
        var result = counts.Select(kv => (kv.Key, kv.Value)).ToList();
        result.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        return result;
    }

    /// <summary>The most frequent characters covering <paramref name="coverage"/> of all, ordered by count then code point.</summary>
    static List<(Rune Char, long Count)> ChooseAlphabet(
        List<(string Word, long Count)> words,
        double coverage
    )
    {
        var counts = new Dictionary<Rune, long>();
        long total = 0;
        foreach (var (word, count) in words)
        foreach (var r in word.EnumerateRunes())
        {
            counts[r] = counts.GetValueOrDefault(r) + count;
            total += count;
        }
        var sorted = counts
            .Select(kv => (kv.Key, kv.Value))
            .OrderByDescending(x => x.Value)
            .ThenBy(x => x.Key.Value)
            .ToList();
        var alphabet = new List<(Rune, long)>();
        long accumulated = 0;
        foreach (var entry in sorted)
        {
            // sentencepiece stops once the characters taken so far reach the coverage.
            if ((double)accumulated / total >= coverage)
                break;
            accumulated += entry.Value;
            alphabet.Add(entry);
        }
        return alphabet;
    }

    static SentencePieceModel BuildModel(
        List<string> merges,
        List<(Rune Char, long Count)> alphabet,
        SentencePieceTrainerOptions options
    )
    {
        var pieces = new List<SentencePiece>
        {
            new("<unk>", 0, SentencePieceType.Unknown),
            new("<s>", 0, SentencePieceType.Control),
            new("</s>", 0, SentencePieceType.Control),
        };
        if (options.AddPadPiece)
            pieces.Add(new("<pad>", 0, SentencePieceType.Control));
        if (options.ByteFallback)
            for (int b = 0; b < 256; b++)
                pieces.Add(new($"<0x{b:X2}>", 0, SentencePieceType.Byte));
        int rank = 0;
        foreach (var m in merges)
            pieces.Add(new(m, -rank++, SentencePieceType.Normal));
        foreach (var (c, _) in alphabet)
            pieces.Add(new(c.ToString(), -rank++, SentencePieceType.Normal));

        var trainer = new SentencePieceTrainerSpec
        {
            ModelType = 2,
            VocabSize = options.VocabSize,
            CharacterCoverage = (float)options.CharacterCoverage,
            MaxPieceLength = options.MaxPieceLength,
            SplitByUnicodeScript = options.SplitByUnicodeScript,
            SplitByWhitespace = true,
            SplitByNumber = true,
            TreatWhitespaceAsSuffix = false,
            SplitDigits = options.SplitDigits,
            AllowWhitespaceOnlyPieces = options.AllowWhitespaceOnlyPieces,
            ByteFallback = options.ByteFallback,
            UnkId = 0,
            BosId = 1,
            EosId = 2,
            PadId = options.AddPadPiece ? 3 : -1,
        };
        var normalizer = new SentencePieceNormalizerSpec
        {
            Name = "identity",
            AddDummyPrefix = options.AddDummyPrefix,
            RemoveExtraWhitespaces = false,
            EscapeWhitespaces = true,
        };
        return new SentencePieceModel(pieces, trainer, normalizer);
    }
}
