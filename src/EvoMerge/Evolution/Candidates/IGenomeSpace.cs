using EvoMerge.Evolution.Optimizers;
using EvoMerge.Evolution.Runs;

namespace EvoMerge.Evolution.Candidates;

/// <summary>
/// A search space, pure: built from the experiment config and the models' config.json (no weights),
/// so the optimizer, the run loop and a cluster client never touch tensors.
/// </summary>
public interface IGenomeSpace
{
    /// <summary>The search this space belongs to.</summary>
    SearchMode Mode { get; }

    /// <summary>Genome length.</summary>
    int Dimension { get; }

    /// <summary>Where the search starts.</summary>
    IReadOnlyList<double> InitialGenome { get; }

    /// <summary>Box bounds of the genes, or null (unbounded).</summary>
    BoxBounds? Bounds { get; }

    /// <summary>File name of the best phenotype in the run folder (best.yaml or best-path.json).</summary>
    string BestFileName { get; }

    /// <summary>The pure decoder: genome → recipe or path.</summary>
    Phenotype Decode(IReadOnlyList<double> genome);
}
