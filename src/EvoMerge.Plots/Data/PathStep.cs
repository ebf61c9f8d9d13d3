namespace EvoMerge.Plots;

/// <summary>One step of a DFS path: which model's layer runs, with its input scale.</summary>
/// <param name="Model">Display name of the model the layer comes from.</param>
/// <param name="Layer">Layer index within that model.</param>
/// <param name="Scale">Scaling factor applied to the layer's input (W in the paper).</param>
public sealed record PathStep(string Model, int Layer, double Scale);
