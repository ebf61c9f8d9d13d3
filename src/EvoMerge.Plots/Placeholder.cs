namespace EvoMerge.Plots;

internal static class Placeholder { }
