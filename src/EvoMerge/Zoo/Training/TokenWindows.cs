namespace EvoMerge.Zoo.Training;

/// <summary>
/// Packs tokenized documents into fixed-length training windows: each epoch shuffles the documents
/// with a seeded SplitMix64 (a fixed algorithm, unlike System.Random), concatenates them and cuts
/// the stream into windows of <c>length + 1</c> tokens (inputs and shifted targets).
/// </summary>
public sealed class TokenWindows
{
    readonly IReadOnlyList<int[]> _documents;
    readonly int _length;
    ulong _state;
    readonly List<int> _stream = [];
    int _cursor;

    public TokenWindows(IReadOnlyList<int[]> documents, int length, ulong seed)
    {
        if (documents.Count == 0)
            throw new ArgumentException("no training documents", nameof(documents));
        _documents = documents;
        _length = length;
        _state = seed;
    }

    /// <summary>The next window of <c>length + 1</c> tokens.</summary>
    public int[] Next()
    {
        while (_stream.Count - _cursor < _length + 1)
            AppendEpoch();
        var window = _stream.GetRange(_cursor, _length + 1).ToArray();
        _cursor += _length;
        if (_cursor > 1 << 20)
        {
            _stream.RemoveRange(0, _cursor);
            _cursor = 0;
        }
        return window;
    }

    void AppendEpoch()
    {
        var order = Enumerable.Range(0, _documents.Count).ToArray();
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = (int)(NextUInt64() % (ulong)(i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        foreach (var index in order)
            _stream.AddRange(_documents[index]);
    }

    ulong NextUInt64()
    {
        // SplitMix64 (Steele, Lea, Flood 2014).
        ulong z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
