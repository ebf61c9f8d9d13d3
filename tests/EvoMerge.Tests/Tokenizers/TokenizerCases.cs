using System.Text.Json;
using EvoMerge.Tests.Support;

namespace EvoMerge.Tests.Tokenizers;

/// <summary>One probe of tests/fixtures/tokenizers/cases.json (made by sentencepiece and tokenizers).</summary>
public sealed record TokenizerCase(
    string Tokenizer,
    int Index,
    string Text,
    int[] Ids,
    string[]? Pieces,
    string Decoded
)
{
    static readonly Lazy<IReadOnlyList<TokenizerCase>> All = new(Read);

    public static IEnumerable<object[]> For(string tokenizer) =>
        All.Value.Where(c => c.Tokenizer == tokenizer).Select(c => new object[] { c.Index });

    public static TokenizerCase Get(string tokenizer, int index) =>
        All.Value.Single(c => c.Tokenizer == tokenizer && c.Index == index);

    static IReadOnlyList<TokenizerCase> Read()
    {
        using var doc = JsonDocument.Parse(
            File.ReadAllBytes(Fixtures.Path("tokenizers/cases.json"))
        );
        var result = new List<TokenizerCase>();
        foreach (var tokenizer in doc.RootElement.GetProperty("cases").EnumerateObject())
        {
            int index = 0;
            foreach (var c in tokenizer.Value.EnumerateArray())
                result.Add(
                    new TokenizerCase(
                        tokenizer.Name,
                        index++,
                        c.GetProperty("text").GetString()!,
                        c.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray(),
                        c.TryGetProperty("pieces", out var p)
                            ? p.EnumerateArray().Select(e => e.GetString()!).ToArray()
                            : null,
                        c.GetProperty("decoded").GetString()!
                    )
                );
        }
        return result;
    }
}
