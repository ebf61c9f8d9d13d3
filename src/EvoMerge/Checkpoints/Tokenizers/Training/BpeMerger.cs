using System.Text;

namespace EvoMerge.Checkpoints.Tokenizers.Training;

/// <summary>
/// The merge loop. Words are arrays of symbol ids; pair counts are kept up to date
/// incrementally (only words holding the merged pair are rescanned), and a lazy max-heap
/// finds the most frequent pair without recounting.
/// </summary>
internal sealed class BpeMerger
{
    readonly int[][] _symbols;
    readonly int[] _lengths;
    readonly long[] _counts;
    readonly List<string> _strings = new();
    readonly List<int> _runeLengths = new();
    readonly List<int> _scripts = new(); // script of a symbol, or int.MinValue when mixed/none
    readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    readonly Dictionary<long, long> _pairCounts = new();
    readonly Dictionary<long, List<int>> _pairWords = new();
    readonly Dictionary<long, bool> _valid = new();
    readonly PriorityQueue<long, (long Count, long Pair)> _heap = new(
        Comparer<(long Count, long Pair)>.Create(
            (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : a.Pair.CompareTo(b.Pair)
        )
    );
    readonly SentencePieceTrainerOptions _options;

    public BpeMerger(
        List<(string Word, long Count)> words,
        List<(Rune Char, long Count)> alphabet,
        SentencePieceTrainerOptions options
    )
    {
        _options = options;
        var charIds = new Dictionary<Rune, int>();
        foreach (var (c, _) in alphabet)
            charIds[c] = NewSymbol(c.ToString());

        _symbols = new int[words.Count][];
        _lengths = new int[words.Count];
        _counts = new long[words.Count];
        for (int w = 0; w < words.Count; w++)
        {
            var runes = words[w].Word.EnumerateRunes().ToArray();
            _symbols[w] = runes
                .Select(r =>
                    charIds.TryGetValue(r, out var id) ? id : SentencePieceBpeTrainer.UnknownSymbol
                )
                .ToArray();
            _lengths[w] = runes.Length;
            _counts[w] = words[w].Count;
            var s = _symbols[w];
            for (int i = 0; i + 1 < s.Length; i++)
                AddPair(s[i], s[i + 1], _counts[w], w);
        }
        foreach (var (pair, count) in _pairCounts)
            _heap.Enqueue(pair, (count, pair));
    }

    int NewSymbol(string s)
    {
        if (_ids.TryGetValue(s, out var id))
            return id;
        id = _strings.Count;
        _strings.Add(s);
        _ids[s] = id;
        int runes = 0,
            script = int.MaxValue;
        foreach (var r in s.EnumerateRunes())
        {
            runes++;
            int rs = UnicodeScript.Of(r);
            if (rs == UnicodeScript.Whitespace)
                continue;
            script = script == int.MaxValue || script == rs ? rs : int.MinValue;
        }
        _runeLengths.Add(runes);
        _scripts.Add(script);
        return id;
    }

    static long Key(int left, int right) => ((long)left << 32) | (uint)right;

    /// <summary>sentencepiece's IsValidSentencePiece for the concatenation of two symbols.</summary>
    bool IsValid(int left, int right)
    {
        long key = Key(left, right);
        if (_valid.TryGetValue(key, out var known))
            return known;
        bool valid = Check();
        _valid[key] = valid;
        return valid;

        bool Check()
        {
            if (_runeLengths[left] + _runeLengths[right] > _options.MaxPieceLength)
                return false;
            var piece = _strings[left] + _strings[right];
            bool allWhitespace = piece.All(c => c == SentencePieceBpeTrainer.WhitespaceMark);
            if (!(allWhitespace && _options.AllowWhitespaceOnlyPieces))
                if (piece.IndexOf(SentencePieceBpeTrainer.WhitespaceMark, 1) >= 0) // only as a prefix
                    return false;
            if (_options.SplitDigits && piece.Any(char.IsAsciiDigit))
                return false; // a digit never joins anything
            if (_options.SplitByUnicodeScript)
            {
                int a = _scripts[left],
                    b = _scripts[right];
                if (a == int.MinValue || b == int.MinValue)
                    return false;
                if (a != int.MaxValue && b != int.MaxValue && a != b)
                    return false;
            }
            return true;
        }
    }

    void AddPair(int left, int right, long count, int word)
    {
        if (
            left == SentencePieceBpeTrainer.UnknownSymbol
            || right == SentencePieceBpeTrainer.UnknownSymbol
            || !IsValid(left, right)
        )
            return;
        long key = Key(left, right);
        _pairCounts[key] = _pairCounts.GetValueOrDefault(key) + count;
        // A word may be listed twice (after a rescan); merging it again is a no-op.
        if (!_pairWords.TryGetValue(key, out var list))
            _pairWords[key] = list = new List<int>();
        if (list.Count == 0 || list[^1] != word)
            list.Add(word);
    }

    void RemovePair(int left, int right, long count)
    {
        if (
            left == SentencePieceBpeTrainer.UnknownSymbol
            || right == SentencePieceBpeTrainer.UnknownSymbol
            || !IsValid(left, right)
        )
            return;
        long key = Key(left, right);
        long remaining = _pairCounts[key] - count;
        if (remaining == 0)
            _pairCounts.Remove(key);
        else
            _pairCounts[key] = remaining;
    }

    public List<string> Run(int mergesWanted)
    {
        var pieces = new List<string>(mergesWanted);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var grown = new HashSet<long>();
        while (pieces.Count < mergesWanted && _heap.TryDequeue(out var pair, out var entry))
        {
            long current = _pairCounts.GetValueOrDefault(pair);
            if (current != entry.Count)
            {
                // Stale entry: queue the pair again with its current count.
                if (current > 0)
                    _heap.Enqueue(pair, (current, pair));
                continue;
            }
            int left = (int)(pair >> 32),
                right = (int)pair;
            int merged = NewSymbol(_strings[left] + _strings[right]);
            if (seen.Add(_strings[merged]))
                pieces.Add(_strings[merged]);

            grown.Clear();
            foreach (int w in _pairWords[pair])
                MergeInWord(w, left, right, merged, grown);
            _pairWords.Remove(pair);
            _pairCounts.Remove(pair);
            foreach (var key in grown)
                if (_pairCounts.TryGetValue(key, out var count))
                    _heap.Enqueue(key, (count, key));
        }
        return pieces;
    }

    void MergeInWord(int w, int left, int right, int merged, HashSet<long> grown)
    {
        var s = _symbols[w];
        int n = _lengths[w];
        long count = _counts[w];
        // Pass 1 (read only): retire every pair that touches a merge site, each once. Sites
        // are taken left to right without overlap: "a a a" with (a, a) becomes "aa a".
        int lastRemoved = -1,
            sites = 0;
        for (int i = 0; i + 1 < n; i++)
        {
            if (s[i] != left || s[i + 1] != right)
                continue;
            sites++;
            for (int p = Math.Max(i - 1, lastRemoved + 1); p <= i + 1 && p + 1 < n; p++)
            {
                RemovePair(s[p], s[p + 1], count);
                lastRemoved = p;
            }
            i++;
        }
        if (sites == 0)
            return; // the word lost this pair to an earlier merge
        // Pass 2: rewrite in place; pass 3: count the pairs around each merged symbol.
        int j = 0;
        Span<int> mergedAt = sites <= 64 ? stackalloc int[sites] : new int[sites];
        int m = 0;
        for (int i = 0; i < n; )
        {
            if (i + 1 < n && s[i] == left && s[i + 1] == right)
            {
                mergedAt[m++] = j;
                s[j++] = merged;
                i += 2;
            }
            else
                s[j++] = s[i++];
        }
        _lengths[w] = j;
        int lastAdded = -1;
        foreach (int k in mergedAt)
            for (int p = Math.Max(k - 1, lastAdded + 1); p <= k && p + 1 < j; p++)
            {
                if (p < 0)
                    continue;
                AddPair(s[p], s[p + 1], count, w);
                grown.Add(Key(s[p], s[p + 1]));
                lastAdded = p;
            }
    }
}
