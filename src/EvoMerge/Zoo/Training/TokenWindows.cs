using EvoMerge.Common.Random;

namespace EvoMerge.Zoo.Training;

/// <summary>
/// Packs tokenized documents into fixed-length training windows: each epoch shuffles the documents
/// with a seeded <see cref="SplitMix64"/> stream (a fixed algorithm, unlike System.Random),
/// concatenates them and cuts the stream into windows of <c>length + 1</c> tokens (inputs and
/// shifted targets).
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
            // The shipped zoo was trained on this SplitMix64 stream (not xoshiro256**), so it stays;
            // the bounded rule is the generator's (see TokenWindowsTests for why the windows match).
            int j;
            while (!Xoshiro256StarStar.TryBelow(SplitMix64.Next(ref _state), i + 1, out j)) { }
            (order[i], order[j]) = (order[j], order[i]);
        }
        foreach (var index in order)
            _stream.AddRange(_documents[index]);
    }
}
