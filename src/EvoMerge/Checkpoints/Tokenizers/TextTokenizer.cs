namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>
/// A loaded tokenizer: text to token ids and back, plus the model's special ids. Immutable and
/// safe to share across threads. Made by <see cref="TokenizerLoader.Load"/>.
/// </summary>
public sealed class TextTokenizer
{
    readonly ITokenizerEngine _engine;

    internal TextTokenizer(
        ITokenizerEngine engine,
        int? bosId,
        int? eosId,
        int? padId,
        bool addBosToken
    )
    {
        _engine = engine;
        BosId = bosId;
        EosId = eosId;
        PadId = padId;
        AddBosToken = addBosToken;
    }

    /// <summary>"sentencepiece-bpe" or "byte-level-bpe".</summary>
    public string Kind => _engine.Kind;

    /// <summary>Number of ids (one more than the largest id, added tokens included).</summary>
    public int VocabSize => _engine.VocabSize;

    /// <summary>Beginning-of-sequence id, or null when the model has none.</summary>
    public int? BosId { get; }

    /// <summary>End-of-sequence id, or null when the model has none.</summary>
    public int? EosId { get; }

    /// <summary>Padding id, or null when the model has none.</summary>
    public int? PadId { get; }

    /// <summary>
    /// Whether the model expects BOS in front of a prompt (<c>add_bos_token</c> in
    /// tokenizer_config.json; otherwise true for SentencePiece models with a BOS id, false for
    /// byte-level BPE). <see cref="Encode"/> never adds it on its own: pass this as <c>addBos</c>.
    /// </summary>
    public bool AddBosToken { get; }

    /// <summary>Token ids of <paramref name="text"/>, with <see cref="BosId"/> first when <paramref name="addBos"/>.</summary>
    /// <remarks>
    /// Added tokens of a byte-level BPE (e.g. <c>&lt;|im_end|&gt;</c>) written in the text become
    /// their single ids, as in Hugging Face tokenizers; a SentencePiece model encodes control
    /// strings such as <c>&lt;s&gt;</c> as plain text, as sentencepiece does.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><paramref name="addBos"/> is true but the model has no BOS id.</exception>
    public IReadOnlyList<int> Encode(string text, bool addBos = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(text.Length / 2 + 2);
        if (addBos)
            ids.Add(BosId ?? throw new InvalidOperationException("this tokenizer has no BOS id"));
        _engine.Encode(text, ids);
        return ids.AsReadOnly();
    }

    /// <summary>The text of <paramref name="ids"/>; special and control tokens are left out when <paramref name="skipSpecial"/>.</summary>
    public string Decode(IEnumerable<int> ids, bool skipSpecial = true)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return _engine.Decode(ids, skipSpecial);
    }

    /// <summary>The id of a vocabulary entry (as stored: U+2581 for SentencePiece spaces, byte-level characters for BPE), or null.</summary>
    public int? TokenToId(string token) => _engine.TokenToId(token);

    /// <summary>The vocabulary entry of <paramref name="id"/>, or null when there is none.</summary>
    public string? IdToToken(int id) => _engine.IdToToken(id);
}
