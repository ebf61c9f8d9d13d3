namespace EvoMerge.Plots;

/// <summary>
/// How often each layer of model A and model B lies on the DFS path, per column (a generation or a
/// population member). Rows are A's layers 0..LayersA-1 then B's layers 0..LayersB-1.
/// </summary>
/// <param name="ModelA">Display name of the first model.</param>
/// <param name="LayersA">Number of layers of model A.</param>
/// <param name="ModelB">Display name of the second model.</param>
/// <param name="LayersB">Number of layers of model B.</param>
/// <param name="Columns">Column labels, e.g. "gen 3" or "member 7".</param>
/// <param name="Frequency">One row per layer (LayersA + LayersB rows), one value per column.</param>
public sealed record LayerUsage(
    string ModelA,
    int LayersA,
    string ModelB,
    int LayersB,
    ValueArray<string> Columns,
    ValueArray<ValueArray<double>> Frequency
);
