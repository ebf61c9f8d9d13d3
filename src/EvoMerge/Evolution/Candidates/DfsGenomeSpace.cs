using EvoMerge.Evolution.Genomes;
using EvoMerge.Evolution.Optimizers;
using EvoMerge.Evolution.Runs;

namespace EvoMerge.Evolution.Candidates;

/// <summary>DFS and PS+DFS: an indicator per slot and the scale matrix decode to a layer path through A and B.</summary>
/// <param name="Space">The slot layout and decoder.</param>
/// <param name="InitialOff">Start value of the slots off model A's own path.</param>
/// <param name="Mode">Dfs or PsDfs.</param>
public sealed record DfsGenomeSpace(DfsSpace Space, double InitialOff, SearchMode Mode)
    : IGenomeSpace
{
    public int Dimension => Space.Dimension;

    public IReadOnlyList<double> InitialGenome => Space.InitialGenome(on: 1.0, off: InitialOff);

    public BoxBounds? Bounds => null;

    public string BestFileName => "best-path.json";

    public Phenotype Decode(IReadOnlyList<double> genome) =>
        new PathPhenotype(Space.Decode(genome));
}
