using System.Text;

namespace EvoMerge.Checkpoints.Tokenizers;

/// <summary>
/// SentencePiece BPE segmentation of already-normalized text (whitespace escaped as U+2581), as
/// google/sentencepiece <c>src/bpe_model.cc</c> does it: start from characters (user-defined
/// pieces kept whole), repeatedly merge the adjacent pair whose merged piece has the highest
/// score, ties going to the leftmost pair; unknown pieces become <c>&lt;0xNN&gt;</c> bytes when
/// the model has byte fallback, otherwise runs of them become one unknown id.
/// </summary>
/// <remarks>
/// Why not Microsoft.ML.Tokenizers' own encoder: its SymbolPair.CompareTo (SentencePieceBpeModel.cs,
/// 2.0.1) orders equal scores by <em>descending</em> left index, so the rightmost of two
/// overlapping equal-score pairs merges first ("▁▁▁l" becomes "▁|▁▁|l" instead of sentencepiece's
/// "▁▁|▁l"). Everything else (normalization, decoding) still comes from the library.
/// </remarks>
internal sealed class SentencePieceBpeEncoder
{
    readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    readonly Dictionary<string, float> _mergeable = new(StringComparer.Ordinal);
    readonly HashSet<string> _unused = new(StringComparer.Ordinal);
    readonly string[] _userDefined;
    readonly int[] _byteIds = new int[256];
    readonly bool _byteFallback;
    readonly int _unkId;

    public SentencePieceBpeEncoder(SentencePieceModel model)
    {
        for (int id = 0; id < model.Pieces.Count; id++)
        {
            var p = model.Pieces[id];
            _ids.TryAdd(p.Piece, id);
            // Only these kinds take part in segmentation (sentencepiece's pieces_ map); control,
            // unknown and byte pieces are reserved ids.
            if (
                p.Type
                is SentencePieceType.Normal
                    or SentencePieceType.UserDefined
                    or SentencePieceType.Unused
            )
                _mergeable.TryAdd(p.Piece, p.Score);
            if (p.Type == SentencePieceType.Unused)
                _unused.Add(p.Piece);
        }
        _userDefined = model
            .Pieces.Where(p => p.Type == SentencePieceType.UserDefined)
            .Select(p => p.Piece)
            .OrderByDescending(p => p.Length)
            .ThenBy(p => p, StringComparer.Ordinal)
            .ToArray();
        _unkId = model.TrainerSpec.UnkId;
        _byteFallback = model.TrainerSpec.ByteFallback;
        Array.Fill(_byteIds, -1);
        if (_byteFallback)
            for (int b = 0; b < 256; b++)
                _byteIds[b] = _ids.TryGetValue($"<0x{b:X2}>", out var id) ? id : -1;
    }

    struct Symbol
    {
        public int Prev,
            Next,
            Start,
            Length;
    }

    readonly record struct Candidate(int Left, int Right, int Length, float Score);

    sealed class CandidateOrder : IComparer<Candidate>
    {
        public static readonly CandidateOrder Instance = new();

        // Min-heap order: higher score first, then the leftmost pair.
        public int Compare(Candidate a, Candidate b) =>
            a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Left.CompareTo(b.Left);
    }

    /// <summary>Appends the ids of <paramref name="normalized"/> to <paramref name="output"/>.</summary>
    public void Encode(string normalized, List<int> output)
    {
        if (normalized.Length == 0)
            return;
        var symbols = Split(normalized);
        var agenda = new PriorityQueue<Candidate, Candidate>(CandidateOrder.Instance);
        Dictionary<string, (string Left, string Right)>? revMerge = null;

        void MaybeAdd(int left, int right)
        {
            if (left < 0 || right < 0)
                return;
            var l = symbols[left];
            var r = symbols[right];
            if (l.Length < 0 || r.Length < 0) // frozen (user-defined) symbols never merge
                return;
            var piece = normalized.Substring(l.Start, l.Length + r.Length);
            if (!_mergeable.TryGetValue(piece, out var score))
                return;
            var c = new Candidate(left, right, piece.Length, score);
            agenda.Enqueue(c, c);
            if (_unused.Contains(piece))
            {
                revMerge ??= new(StringComparer.Ordinal);
                revMerge[piece] = (
                    normalized.Substring(l.Start, l.Length),
                    normalized.Substring(r.Start, r.Length)
                );
            }
        }

        for (int i = 1; i < symbols.Length; i++)
            MaybeAdd(i - 1, i);

        while (agenda.TryDequeue(out var top, out _))
        {
            ref var l = ref symbols[top.Left];
            ref var r = ref symbols[top.Right];
            // Stale: one side was merged away or changed since this pair was queued.
            if (l.Length <= 0 || r.Length <= 0 || l.Length + r.Length != top.Length)
                continue;
            l.Length += r.Length;
            l.Next = r.Next;
            if (r.Next >= 0)
                symbols[r.Next].Prev = top.Left;
            r.Length = 0;
            MaybeAdd(l.Prev, top.Left);
            MaybeAdd(top.Left, l.Next);
        }

        bool previousUnknown = false;
        for (int i = 0; i >= 0; i = symbols[i].Next)
        {
            var s = symbols[i];
            var piece = normalized.Substring(s.Start, Math.Abs(s.Length));
            Emit(piece, output, revMerge, ref previousUnknown);
        }
    }

    void Emit(
        string piece,
        List<int> output,
        Dictionary<string, (string Left, string Right)>? revMerge,
        ref bool previousUnknown
    )
    {
        if (
            _unused.Contains(piece)
            && revMerge is not null
            && revMerge.TryGetValue(piece, out var parts)
        )
        {
            Emit(parts.Left, output, revMerge, ref previousUnknown);
            Emit(parts.Right, output, revMerge, ref previousUnknown);
            return;
        }
        if (_mergeable.ContainsKey(piece) && _ids.TryGetValue(piece, out var id) && id != _unkId)
        {
            output.Add(id);
            previousUnknown = false;
            return;
        }
        if (_byteFallback)
        {
            foreach (var b in Encoding.UTF8.GetBytes(piece))
                output.Add(_byteIds[b] >= 0 ? _byteIds[b] : _unkId);
            previousUnknown = false;
            return;
        }
        // sentencepiece merges consecutive unknown pieces into one.
        if (!previousUnknown)
            output.Add(_unkId);
        previousUnknown = true;
    }

    /// <summary>Characters (surrogate pairs kept together) as a linked list; user-defined pieces are one frozen symbol (negative length).</summary>
    Symbol[] Split(string text)
    {
        var list = new List<Symbol>(text.Length);
        int pos = 0;
        while (pos < text.Length)
        {
            int length = 0;
            bool frozen = false;
            foreach (var u in _userDefined)
                if (
                    pos + u.Length <= text.Length
                    && string.CompareOrdinal(text, pos, u, 0, u.Length) == 0
                )
                {
                    length = u.Length;
                    frozen = true;
                    break;
                }
            if (length == 0)
                length =
                    char.IsHighSurrogate(text[pos])
                    && pos + 1 < text.Length
                    && char.IsLowSurrogate(text[pos + 1])
                        ? 2
                        : 1;
            list.Add(
                new Symbol
                {
                    Prev = list.Count - 1,
                    Next = pos + length < text.Length ? list.Count + 1 : -1,
                    Start = pos,
                    Length = frozen ? -length : length,
                }
            );
            pos += length;
        }
        return list.ToArray();
    }
}
