using Microsoft.ML.Tokenizers;

namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>
/// A SentencePiece <c>tokenizer.model</c>: Microsoft.ML.Tokenizers' <see cref="SentencePieceTokenizer"/>
/// normalizes (dummy prefix, whitespace escaping, precompiled charsmap) and decodes (byte
/// fallback, control pieces); BPE segmentation is <see cref="SentencePieceBpeEncoder"/> (see its
/// remarks for why). Unigram models are refused: the library's unigram byte fallback gave wrong
/// pieces in our trials and no reference fixture covers them.
/// </summary>
internal sealed class SentencePieceEngine : ITokenizerEngine
{
    readonly SentencePieceTokenizer _library;
    readonly SentencePieceBpeEncoder _bpe;
    readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    SentencePieceEngine(SentencePieceModel model, SentencePieceTokenizer library)
    {
        Model = model;
        _library = library;
        _bpe = new SentencePieceBpeEncoder(model);
        for (int id = 0; id < model.Pieces.Count; id++)
            _ids.TryAdd(model.Pieces[id].Piece, id);
    }

    public SentencePieceModel Model { get; }

    public string Kind => "sentencepiece-bpe";

    public int VocabSize => Model.Pieces.Count;

    public static SentencePieceEngine Load(string path)
    {
        var model = SentencePieceModel.Load(path);
        if (model.TrainerSpec.ModelType != 2)
            throw new TokenizerLoadException(
                path,
                $"model_type {model.TrainerSpec.ModelType} is not supported (only 2 = BPE; 1 is unigram)"
            );
        if (!model.NormalizerSpec.EscapeWhitespaces)
            throw new TokenizerLoadException(path, "escape_whitespaces = false is not supported");
        try
        {
            using var stream = File.OpenRead(path);
            var library = SentencePieceTokenizer.Create(
                stream,
                addBeginningOfSentence: false,
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
        var normalized = _library.Normalizer!.Normalize(text);
        _bpe.Encode(normalized, output);
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecial) =>
        _library.Decode(ids, considerSpecialTokens: !skipSpecial);

    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) =>
        id >= 0 && id < Model.Pieces.Count ? Model.Pieces[id].Piece : null;
}
