using EvoMerge.Common;
using EvoMerge.Routing;

namespace EvoMerge.Evolution.Genomes;

/// <summary>
/// The data-flow search space of the paper (Akiba et al. 2024, §3.2): the layers of model A then
/// model B (M in total) laid out in order and repeated <see cref="Repeats"/> times, T = M·r slots.
/// A genome is I ‖ θ: an indicator per slot (slot t is on the path iff I[t] &gt; 0 and runs global
/// layer t mod M) and θ (M×M, row-major) with W = 1 + θ; going from global layer i to layer j the
/// hidden state is multiplied by W[i, j]. A's first and last layers are fixed at the path's ends.
/// </summary>
/// <param name="ModelA">Name of model A (supplies embeddings, final norm and head).</param>
/// <param name="LayersA">Decoder layers of A.</param>
/// <param name="ModelB">Name of model B.</param>
/// <param name="LayersB">Decoder layers of B.</param>
/// <param name="Repeats">r: how many times the M layers are laid out.</param>
/// <param name="EvolveScales">False drops θ from the genome (W = 1), the paper's ablation.</param>
public sealed record DfsSpace(
    string ModelA,
    int LayersA,
    string ModelB,
    int LayersB,
    int Repeats,
    bool EvolveScales = true
)
{
    /// <summary>M: layers of A and B together.</summary>
    public int M => LayersA + LayersB;

    /// <summary>T = M·r indicator slots.</summary>
    public int Slots => M * Repeats;

    /// <summary>Genome length: T + M² (or T without scales).</summary>
    public int Dimension => Slots + (EvolveScales ? M * M : 0);

    /// <summary>
    /// The starting genome: the path is model A itself. A's inner layers in the first repetition
    /// start at <paramref name="on"/>; every other slot at <paramref name="off"/> (the paper starts
    /// them at 0, exactly on the threshold; a small negative value starts closer to A); θ = 0 (W = 1).
    /// A's first and last layers are not switched on in the slots because the path's ends already hold them.
    /// </summary>
    public double[] InitialGenome(double on = 1.0, double off = 0.0)
    {
        if (LayersA < 2)
            throw new InvalidOperationException(
                "model A needs at least two layers (its first and last are the path's ends)"
            );
        var genome = new double[Dimension];
        for (int t = 0; t < Slots; t++)
            genome[t] = t >= 1 && t < LayersA - 1 ? on : off;
        return genome;
    }

    /// <summary>The pure decoder: genome → path of (model, layer, scale).</summary>
    public LayerPath Decode(IReadOnlyList<double> genome)
    {
        if (genome.Count != Dimension)
            throw new ArgumentException(
                $"DFS genome has {genome.Count} genes, expected {Dimension} (T={Slots}, M={M})"
            );
        // Author code (paper repo, issue #8): path = [first] + (argwhere(I > 0) % M) + [last].
        var layers = new List<int> { 0 };
        for (int t = 0; t < Slots; t++)
            if (genome[t] > 0)
                layers.Add(t % M);
        layers.Add(LayersA - 1);
        var steps = new List<PathStep>(layers.Count);
        int? previous = null;
        foreach (var global in layers)
        {
            double scale =
                previous is int i && EvolveScales ? 1.0 + genome[Slots + i * M + global] : 1.0;
            steps.Add(
                global < LayersA
                    ? new PathStep(ModelA, global, scale)
                    : new PathStep(ModelB, global - LayersA, scale)
            );
            previous = global;
        }
        return new LayerPath(steps.ToValueArray());
    }
}
