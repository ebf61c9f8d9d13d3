namespace EvoMerge.Routing;

/// <summary>One step of a data-flow path: run decoder layer <paramref name="Layer"/> of <paramref name="Model"/>
/// on the hidden state multiplied by <paramref name="Scale"/> (the paper's W[prev, next]).</summary>
public sealed record PathStep(string Model, int Layer, double Scale = 1.0);
