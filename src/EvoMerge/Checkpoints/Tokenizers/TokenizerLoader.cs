namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>Loads the tokenizer of a Hugging Face model folder.</summary>
public static class TokenizerLoader
{
    /// <summary>
    /// Loads the tokenizer in <paramref name="modelDir"/>, trying in order: a SentencePiece
    /// <c>tokenizer.model</c> (Llama/Mistral style; normalization, byte fallback, digit splitting
    /// and dummy prefix as the model file says), a byte-level BPE <c>tokenizer.json</c>
    /// (GPT-2/Qwen style), or <c>vocab.json</c> + <c>merges.txt</c> (GPT-2 pre-tokenizer regex,
    /// added tokens from tokenizer_config.json's added_tokens_decoder).
    /// </summary>
    /// <remarks>
    /// Special ids, each taken from the first source that sets it: <c>tokenizer_config.json</c>
    /// (<c>bos_token</c>, <c>eos_token</c>, <c>pad_token</c>: strings or <c>{"content": ...}</c>
    /// objects, looked up in the vocabulary), then <c>generation_config.json</c>, then
    /// <c>config.json</c> (<c>bos_token_id</c>, <c>eos_token_id</c> (first of a list),
    /// <c>pad_token_id</c>), then for SentencePiece the model file's own trainer spec (unk/bos/eos/pad ids).
    /// <see cref="TextTokenizer.AddBosToken"/> comes from tokenizer_config.json's
    /// <c>add_bos_token</c>, defaulting to true for SentencePiece models with a BOS id and false otherwise.
    /// </remarks>
    /// <exception cref="TokenizerLoadException">A file is missing, unreadable or unusable; the message names it.</exception>
    public static TextTokenizer Load(string modelDir)
    {
        ArgumentNullException.ThrowIfNull(modelDir);
        if (!Directory.Exists(modelDir))
            throw new TokenizerLoadException(modelDir, "model folder not found");

        var spModel = Path.Combine(modelDir, "tokenizer.model");
        var json = Path.Combine(modelDir, "tokenizer.json");
        var vocab = Path.Combine(modelDir, "vocab.json");
        var merges = Path.Combine(modelDir, "merges.txt");

        ITokenizerEngine engine;
        int? modelBos = null,
            modelEos = null,
            modelPad = null;
        if (File.Exists(spModel))
        {
            var sp = SentencePieceEngine.Load(spModel);
            var spec = sp.Model.TrainerSpec;
            modelBos = ValidId(spec.BosId, sp.VocabSize);
            modelEos = ValidId(spec.EosId, sp.VocabSize);
            modelPad = ValidId(spec.PadId, sp.VocabSize);
            engine = sp;
        }
        else if (File.Exists(json))
            engine = ByteLevelBpeEngine.FromTokenizerJson(json);
        else if (File.Exists(vocab) && File.Exists(merges))
            engine = ByteLevelBpeEngine.FromVocabAndMerges(
                vocab,
                merges,
                SpecialTokenConfig.AddedTokens(modelDir)
            );
        else
            throw new TokenizerLoadException(
                modelDir,
                "no tokenizer found (looked for tokenizer.model, tokenizer.json, vocab.json + merges.txt)"
            );

        var config = SpecialTokenConfig.Read(modelDir, engine);
        int? bos = config.BosId ?? modelBos;
        int? eos = config.EosId ?? modelEos;
        int? pad = config.PadId ?? modelPad;
        foreach (var (name, id) in new[] { ("bos", bos), ("eos", eos), ("pad", pad) })
            if (id is { } value && (value < 0 || value >= engine.VocabSize))
                throw new TokenizerLoadException(
                    modelDir,
                    $"{name} id {value} is outside the vocabulary (size {engine.VocabSize})"
                );
        bool addBos = config.AddBosToken ?? (engine is SentencePieceEngine && bos is not null);
        return new TextTokenizer(engine, bos, eos, pad, addBos);
    }

    static int? ValidId(int id, int vocabSize) => id >= 0 && id < vocabSize ? id : null;
}
