using Microsoft.ML.Tokenizers;

namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>
/// A SentencePiece <c>tokenizer.model</c>: Microsoft.ML.Tokenizers' <see cref="LlamaTokenizer"/>
/// normalizes (dummy prefix, whitespace escaping, precompiled charsmap) and decodes (byte
/// fallback, control pieces); BPE segmentation is <see cref="SentencePieceBpeEncoder"/> (see its
/// remarks for why). Unigram models use the library's encoder as is.
/// </summary>
internal sealed class SentencePieceEngine : ITokenizerEngine
{
    readonly SentencePieceTokenizer _library;
    readonly SentencePieceBpeEncoder? _bpe;
    readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    SentencePieceEngine(SentencePieceModel model, SentencePieceTokenizer library)
    {
        Model = model;
        _library = library;
        _bpe = model.TrainerSpec.ModelType == 2 ? new SentencePieceBpeEncoder(model) : null;
        for (int id = 0; id < model.Pieces.Count; id++)
            _ids.TryAdd(model.Pieces[id].Piece, id);
    }

    public SentencePieceModel Model { get; }

    public string Kind => _bpe is null ? "sentencepiece-unigram" : "sentencepiece-bpe";

    public int VocabSize => Model.Pieces.Count;

    public static SentencePieceEngine Load(string path)
    {
        var model = SentencePieceModel.Load(path);
        if (model.TrainerSpec.ModelType is not (1 or 2))
            throw new TokenizerLoadException(
                path,
                $"model_type {model.TrainerSpec.ModelType} is not supported (only 1 = unigram and 2 = BPE)"
            );
        if (!model.NormalizerSpec.EscapeWhitespaces)
            throw new TokenizerLoadException(path, "escape_whitespaces = false is not supported");
        try
        {
            using var stream = File.OpenRead(path);
            var library = LlamaTokenizer.Create(
                stream,
                addBeginOfSentence: false,
                addEndOfSentence: false
            );
            return new SentencePieceEngine(model, library);
        }
        catch (Exception e) when (e is not TokenizerLoadException)
        {
            throw new TokenizerLoadException(
                path,
                "Microsoft.ML.Tokenizers could not load it: " + e.Message,
                e
            );
        }
    }

    public void Encode(string text, List<int> output)
    {
        if (text.Length == 0)
            return;
        if (_bpe is null)
        {
            output.AddRange(
                _library.EncodeToIds(text, addBeginningOfSentence: false, addEndOfSentence: false)
            );
            return;
        }
        var normalized = _library.Normalizer!.Normalize(text);
        _bpe.Encode(normalized, output);
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecial) =>
        _library.Decode(ids, considerSpecialTokens: !skipSpecial);

    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) =>
        id >= 0 && id < Model.Pieces.Count ? Model.Pieces[id].Piece : null;
}
