namespace EvoMerge.Models;

/// <summary>The key/value geometry of the layer that runs at one position of an executed path.</summary>
public sealed record KvCacheSlotShape(int KvHeads, int HeadDim);
