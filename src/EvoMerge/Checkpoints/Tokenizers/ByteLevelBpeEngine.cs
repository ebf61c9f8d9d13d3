using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML.Tokenizers;

namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>
/// A GPT-2/Qwen style byte-level BPE on Microsoft.ML.Tokenizers' <see cref="BpeTokenizer"/>
/// (<see cref="BpeOptions.ByteLevel"/>). The library has no <c>tokenizer.json</c> loader, so this
/// reads the Hugging Face file itself: <c>model.vocab</c>, <c>model.merges</c> ("a b" strings or
/// ["a", "b"] pairs), <c>added_tokens</c>, <c>normalizer</c> (null or NFC) and <c>pre_tokenizer</c>
/// (ByteLevel with or without its GPT-2 regex, or a Sequence of Split regexes and ByteLevel).
/// </summary>
internal sealed class ByteLevelBpeEngine : ITokenizerEngine
{
    /// <summary>The regex of the tokenizers library's ByteLevel pre-tokenizer (GPT-2's).</summary>
    internal const string Gpt2Pattern =
        @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    readonly BpeTokenizer _library;
    readonly bool _addPrefixSpace;
    readonly Dictionary<string, int> _ids;
    readonly Dictionary<int, string> _tokens;

    ByteLevelBpeEngine(BpeTokenizer library, bool addPrefixSpace, Dictionary<string, int> ids)
    {
        _library = library;
        _addPrefixSpace = addPrefixSpace;
        _ids = ids;
        _tokens = new Dictionary<int, string>();
        foreach (var (token, id) in ids)
            _tokens.TryAdd(id, token);
        VocabSize = ids.Count == 0 ? 0 : ids.Values.Max() + 1;
    }

    public string Kind => "byte-level-bpe";

    public int VocabSize { get; }

    /// <summary>Builds the tokenizer from a Hugging Face <c>tokenizer.json</c>.</summary>
    public static ByteLevelBpeEngine FromTokenizerJson(string path)
    {
        using var doc = Json.Parse(path);
        var root = doc.RootElement;
        var model = Json.Object(root, "model", path);
        var type = model.TryGetProperty("type", out var t) ? t.GetString() : null;
        if (type is not null && type != "BPE")
            throw new TokenizerLoadException(path, $"model.type is {type}, only BPE is supported");
        foreach (var unsupported in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (model.TryGetProperty(unsupported, out var v) && v.ValueKind == JsonValueKind.String)
                throw new TokenizerLoadException(path, $"model.{unsupported} is not supported");
        if (model.TryGetProperty("ignore_merges", out var im) && im.ValueKind == JsonValueKind.True)
            throw new TokenizerLoadException(path, "model.ignore_merges = true is not supported");
        if (model.TryGetProperty("byte_fallback", out var bf) && bf.ValueKind == JsonValueKind.True)
            throw new TokenizerLoadException(
                path,
                "model.byte_fallback = true (a SentencePiece-style BPE): load tokenizer.model instead"
            );

        var vocab = ReadVocab(Json.Object(model, "vocab", path), path + " model.vocab");
        var merges = ReadMerges(model, path);

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        if (root.TryGetProperty("added_tokens", out var addedTokens))
        {
            if (addedTokens.ValueKind != JsonValueKind.Array)
                throw new TokenizerLoadException(path, "added_tokens is not an array");
            foreach (var a in addedTokens.EnumerateArray())
            {
                if (
                    !a.TryGetProperty("content", out var c)
                    || c.ValueKind != JsonValueKind.String
                    || !a.TryGetProperty("id", out var id)
                    || !id.TryGetInt32(out var idValue)
                )
                    throw new TokenizerLoadException(
                        path,
                        "an added_tokens entry lacks content or id"
                    );
                added[c.GetString()!] = idValue;
            }
        }

        var normalizer = ReadNormalizer(root, path);
        var (preTokenizer, addPrefixSpace) = ReadPreTokenizer(root, added, path);
        return Create(vocab, merges, added, normalizer, preTokenizer, addPrefixSpace, path);
    }

    /// <summary>Builds the tokenizer from GPT-2 style <c>vocab.json</c> + <c>merges.txt</c> (GPT-2 pre-tokenizer regex).</summary>
    public static ByteLevelBpeEngine FromVocabAndMerges(
        string vocabPath,
        string mergesPath,
        IReadOnlyDictionary<string, int> addedTokens
    )
    {
        using var doc = Json.Parse(vocabPath);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
            throw new TokenizerLoadException(vocabPath, "is not a JSON object of token -> id");
        var vocab = ReadVocab(doc.RootElement, vocabPath);
        var merges = new List<string>();
        string[] lines;
        try
        {
            lines = File.ReadAllLines(mergesPath, Encoding.UTF8);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new TokenizerLoadException(mergesPath, "cannot be read: " + e.Message, e);
        }
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (
                line.Length == 0
                || (i == 0 && line.StartsWith("#version", StringComparison.Ordinal))
            )
                continue;
            if (line.Split(' ').Length != 2)
                throw new TokenizerLoadException(
                    mergesPath,
                    $"line {i + 1} is not two tokens: \"{line}\""
                );
            merges.Add(line);
        }
        var added = new Dictionary<string, int>(addedTokens, StringComparer.Ordinal);
        var pre = new RegexPreTokenizer(new Regex(Gpt2Pattern, RegexOptions.Compiled), added);
        return Create(vocab, merges, added, null, pre, addPrefixSpace: false, vocabPath);
    }

    static ByteLevelBpeEngine Create(
        Dictionary<string, int> vocab,
        List<string> merges,
        Dictionary<string, int> added,
        Normalizer? normalizer,
        PreTokenizer? preTokenizer,
        bool addPrefixSpace,
        string path
    )
    {
        foreach (var m in merges)
        {
            var parts = m.Split(' ');
            if (
                !vocab.ContainsKey(parts[0])
                || !vocab.ContainsKey(parts[1])
                || !vocab.ContainsKey(parts[0] + parts[1])
            )
                throw new TokenizerLoadException(
                    path,
                    $"merge \"{m}\" uses or makes a token missing from the vocabulary"
                );
        }
        var all = new Dictionary<string, int>(vocab, StringComparer.Ordinal);
        foreach (var (token, id) in added)
            all[token] = id;
        try
        {
            var options = new BpeOptions(vocab)
            {
                Merges = merges,
                ByteLevel = true,
                SpecialTokens = added.Count > 0 ? added : null,
                Normalizer = normalizer,
                PreTokenizer = preTokenizer,
            };
            return new ByteLevelBpeEngine(BpeTokenizer.Create(options), addPrefixSpace, all);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new TokenizerLoadException(
                path,
                "Microsoft.ML.Tokenizers rejected it: " + e.Message,
                e
            );
        }
    }

    static Dictionary<string, int> ReadVocab(JsonElement vocab, string where)
    {
        if (vocab.ValueKind != JsonValueKind.Object)
            throw new TokenizerLoadException(where, "vocab is not an object of token -> id");
        var result = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var p in vocab.EnumerateObject())
        {
            if (!p.Value.TryGetInt32(out var id) || id < 0)
                throw new TokenizerLoadException(where, $"token \"{p.Name}\" has no valid id");
            result[p.Name] = id;
        }
        if (result.Count == 0)
            throw new TokenizerLoadException(where, "vocab is empty");
        return result;
    }

    static List<string> ReadMerges(JsonElement model, string path)
    {
        var merges = new List<string>();
        if (!model.TryGetProperty("merges", out var m))
            return merges;
        if (m.ValueKind != JsonValueKind.Array)
            throw new TokenizerLoadException(path, "model.merges is not an array");
        foreach (var e in m.EnumerateArray())
        {
            // Newer tokenizers files write ["a", "b"] pairs (tokens may contain spaces then,
            // which a space-joined merge list cannot express); older ones write "a b".
            string? merge = e.ValueKind switch
            {
                JsonValueKind.String when e.GetString()!.Split(' ').Length == 2 => e.GetString(),
                JsonValueKind.Array
                    when e.GetArrayLength() == 2
                        && e[0].ValueKind == JsonValueKind.String
                        && e[1].ValueKind == JsonValueKind.String
                        && !e[0].GetString()!.Contains(' ')
                        && !e[1].GetString()!.Contains(' ') => e[0].GetString()
                    + " "
                    + e[1].GetString(),
                _ => null,
            };
            merges.Add(
                merge
                    ?? throw new TokenizerLoadException(
                        path,
                        $"model.merges entry {merges.Count} is not a pair of space-free tokens: {e.GetRawText()}"
                    )
            );
        }
        return merges;
    }

    static Normalizer? ReadNormalizer(JsonElement root, string path)
    {
        if (!root.TryGetProperty("normalizer", out var n) || n.ValueKind == JsonValueKind.Null)
            return null;
        var type = n.TryGetProperty("type", out var t) ? t.GetString() : null;
        return type switch
        {
            "NFC" => new UnicodeFormNormalizer(NormalizationForm.FormC),
            "NFKC" => new UnicodeFormNormalizer(NormalizationForm.FormKC),
            _ => throw new TokenizerLoadException(
                path,
                $"normalizer type {type ?? "(none)"} is not supported"
            ),
        };
    }

    static (PreTokenizer? PreTokenizer, bool AddPrefixSpace) ReadPreTokenizer(
        JsonElement root,
        Dictionary<string, int> added,
        string path
    )
    {
        if (!root.TryGetProperty("pre_tokenizer", out var p) || p.ValueKind == JsonValueKind.Null)
            throw new TokenizerLoadException(
                path,
                "pre_tokenizer is missing: a byte-level BPE needs a ByteLevel pre-tokenizer"
            );
        var steps =
            Type(p) == "Sequence"
                ? Json.Array(p, "pretokenizers", path).EnumerateArray().ToList()
                : [p];
        var patterns = new List<string>();
        bool byteLevel = false,
            addPrefixSpace = false;
        foreach (var step in steps)
        {
            switch (Type(step))
            {
                case "ByteLevel":
                    byteLevel = true;
                    addPrefixSpace =
                        step.TryGetProperty("add_prefix_space", out var aps)
                        && aps.ValueKind == JsonValueKind.True;
                    if (
                        !step.TryGetProperty("use_regex", out var ur)
                        || ur.ValueKind != JsonValueKind.False
                    )
                        patterns.Add(Gpt2Pattern);
                    break;
                case "Split":
                    var behavior = step.TryGetProperty("behavior", out var b)
                        ? b.GetString()
                        : null;
                    var invert =
                        step.TryGetProperty("invert", out var inv)
                        && inv.ValueKind == JsonValueKind.True;
                    if (behavior != "Isolated" || invert)
                        throw new TokenizerLoadException(
                            path,
                            $"Split pre-tokenizer with behavior {behavior}, invert {invert} is not supported (only Isolated)"
                        );
                    var pattern = Json.Object(step, "pattern", path);
                    if (pattern.TryGetProperty("Regex", out var rx))
                        patterns.Add(rx.GetString()!);
                    else if (pattern.TryGetProperty("String", out var s))
                        patterns.Add(Regex.Escape(s.GetString()!));
                    else
                        throw new TokenizerLoadException(
                            path,
                            "Split pattern has neither Regex nor String"
                        );
                    break;
                default:
                    throw new TokenizerLoadException(
                        path,
                        $"pre_tokenizer {Type(step)} is not supported"
                    );
            }
        }
        if (!byteLevel)
            throw new TokenizerLoadException(
                path,
                "pre_tokenizer has no ByteLevel step: not a byte-level BPE"
            );
        if (patterns.Count > 1)
            throw new TokenizerLoadException(
                path,
                "more than one splitting regex in pre_tokenizer is not supported"
            );
        PreTokenizer? pre =
            patterns.Count == 0
                ? null
                : new RegexPreTokenizer(
                    new Regex(patterns[0], RegexOptions.Compiled),
                    added.Count > 0 ? added : null
                );
        return (pre, addPrefixSpace);

        static string? Type(JsonElement e) =>
            e.TryGetProperty("type", out var t) ? t.GetString() : null;
    }

    public void Encode(string text, List<int> output)
    {
        if (text.Length == 0)
            return;
        // The tokenizers library's ByteLevel(add_prefix_space) adds a space unless one is there.
        if (_addPrefixSpace && text[0] != ' ')
            text = " " + text;
        output.AddRange(_library.EncodeToIds(text));
    }

    public string Decode(IEnumerable<int> ids, bool skipSpecial) =>
        _library.Decode(ids, considerSpecialTokens: !skipSpecial);

    public int? TokenToId(string token) => _ids.TryGetValue(token, out var id) ? id : null;

    public string? IdToToken(int id) => _tokens.TryGetValue(id, out var t) ? t : null;
}
