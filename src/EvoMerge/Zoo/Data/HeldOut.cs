using EvoMerge.Common.Random;

namespace EvoMerge.Zoo.Data;

/// <summary>
/// Which operand triples (left, right, operation) a draw may use. A fixed hash of the triple puts
/// <see cref="HeldOutShare"/> of them aside for the target: the training word problems never use
/// them and the target uses only them, so its numbers are held out (the base's bare equations, its
/// arithmetic, still cover every triple).
/// </summary>
internal sealed record OperandPool(double HeldOutShare, bool HeldOut)
{
    /// <summary>Every triple (nothing held out).</summary>
    public static readonly OperandPool All = new(0, false);

    public bool Admits(int left, int right, bool subtract) =>
        IsHeldOut(left, right, subtract, HeldOutShare) == HeldOut;

    /// <summary>True for the triples the target keeps (a hash, so it does not depend on any stream).</summary>
    public static bool IsHeldOut(int left, int right, bool subtract, double share)
    {
        var state =
            ((ulong)left << 32 | (uint)right) * 2 + (subtract ? 1UL : 0) ^ 0x5EED_0F_7A46E7UL;
        return (SplitMix64.Mix(state) >> 11) * (1.0 / (1UL << 53)) < share;
    }
}

/// <summary>
/// The names and things of the target's stories. None occurs in any word problem a model is trained
/// on (MATH-A/B, their Japanese slices, JA's story problems, the pretraining problems); all occur in
/// the general pretraining text, so the words are known but never in a story to compute.
/// </summary>
internal static class HeldOut
{
    static readonly HashSet<string> Names = ["Ben", "Emma", "Kenta", "Misaki", "Shota", "Aoi"];

    /// <summary>The target's people.</summary>
    public static readonly Person[] People = [.. Lexicon.People.Where(p => Names.Contains(p.En))];

    /// <summary>Everyone else: the people of the training word problems.</summary>
    public static readonly Person[] TrainingPeople =
    [
        .. Lexicon.People.Where(p => !Names.Contains(p.En)),
    ];

    /// <summary>The target's owned things (none is a source's thing or a part of one's name).</summary>
    public static readonly OwnedThing[] OwnedThings =
    [
        new("卵", "個", true),
        new("石", "個", false),
        new("おにぎり", "個", true),
        new("ケーキ", "個", true),
        new("鉛筆", "本", false),
        new("花", "本", false),
        new("傘", "本", false),
        new("切手", "枚", false),
        new("皿", "枚", false),
        new("ノート", "冊", false),
        new("絵本", "冊", false),
    ];

    /// <summary>The target's container stories: MATH-B's containers, held-out things in them.</summary>
    public static readonly ContainerThing[] ContainerThings =
    [
        new("箱", "鉛筆", "本"),
        new("箱", "切手", "枚"),
        new("かご", "卵", "個"),
        new("かご", "石", "個"),
        new("ふくろ", "おにぎり", "個"),
        new("引き出し", "ノート", "冊"),
        new("戸棚", "皿", "枚"),
        new("木箱", "絵本", "冊"),
        new("びん", "花", "本"),
    ];
}
