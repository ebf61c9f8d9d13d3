namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>What <see cref="TextTokenizer"/> needs from one tokenizer family.</summary>
internal interface ITokenizerEngine
{
    string Kind { get; }
    int VocabSize { get; }
    void Encode(string text, List<int> output);
    string Decode(IEnumerable<int> ids, bool skipSpecial);
    int? TokenToId(string token);
    string? IdToToken(int id);
}
