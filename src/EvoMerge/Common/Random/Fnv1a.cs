using System.Text;

namespace EvoMerge.Common.Random;

/// <summary>
/// 64-bit FNV-1a over UTF-8 (http://www.isthe.com/chongo/tech/comp/fnv/): a hash of a name that,
/// unlike <see cref="string.GetHashCode()"/>, is the same in every process, so seeds derived from
/// names (generator streams, mask seeds) replay.
/// </summary>
public static class Fnv1a
{
    /// <summary>The hash of <paramref name="text"/>'s UTF-8 bytes.</summary>
    public static ulong Hash(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 1099511628211UL;
        return hash;
    }
}
