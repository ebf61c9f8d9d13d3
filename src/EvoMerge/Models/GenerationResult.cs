using EvoMerge.Common;

namespace EvoMerge.Models;

/// <summary>The new tokens of each row (the EOS token excluded) and whether the row stopped on EOS.</summary>
public sealed record GenerationResult(
    ValueArray<ValueArray<long>> Tokens,
    ValueArray<bool> EndedWithEos
);
