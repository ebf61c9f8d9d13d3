namespace EvoMerge.Evolution.Optimizers;

/// <summary>FNV-1a over 64-bit words: the fingerprint a state stamps on the candidates it asks for.</summary>
internal struct StateFingerprint
{
    ulong _hash;

    public StateFingerprint() => _hash = 14695981039346656037UL;

    public void Add(ulong value)
    {
        for (var i = 0; i < 8; i++, value >>= 8)
            _hash = (_hash ^ (value & 0xFF)) * 1099511628211UL;
    }

    public void Add(double value) => Add(BitConverter.DoubleToUInt64Bits(value));

    public readonly ulong Value => _hash;
}
