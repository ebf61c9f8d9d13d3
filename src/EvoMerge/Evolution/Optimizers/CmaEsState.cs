using System.Text.Json.Serialization;
using EvoMerge.Common;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>The best candidate seen so far.</summary>
/// <param name="Genome">The evaluated genome (inside the bounds, if any).</param>
/// <param name="Fitness">Its fitness (lower is better).</param>
/// <param name="Evaluation">Its 1-based evaluation number within the run.</param>
public sealed record BestCandidate(ValueArray<double> Genome, double Fitness, long Evaluation);

/// <summary>
/// One generation's state of CMA-ES: immutable, produced by <see cref="CmaEs.Start"/> and
/// <see cref="CmaEs.Tell"/>, and round-trips through <see cref="OptimizerJson"/> exactly (resume).
/// Vectors live in the optimizer's unbounded space (see <see cref="BoundTransform"/>); matrices are
/// row-major.
/// </summary>
public sealed record CmaEsState
{
    /// <summary>The strategy constants, bounds and stopping criteria.</summary>
    public required CmaEsParameters Parameters { get; init; }

    /// <summary>Generations told so far (g in the tutorial).</summary>
    public required int Generation { get; init; }

    /// <summary>Candidates evaluated so far.</summary>
    public required long Evaluations { get; init; }

    /// <summary>m, the distribution mean (unbounded space).</summary>
    public required ValueArray<double> Mean { get; init; }

    /// <summary>σ, the step size.</summary>
    public required double Sigma { get; init; }

    /// <summary>σ₀, kept for TolX and restarts.</summary>
    public required double InitialSigma { get; init; }

    /// <summary>C: n×n (full) or its diagonal of length n (separable).</summary>
    public required ValueArray<double> Covariance { get; init; }

    /// <summary>B, the eigenvectors of C as columns (n×n); empty for separable.</summary>
    public required ValueArray<double> EigenBasis { get; init; }

    /// <summary>D, the square roots of C's eigenvalues (full) or of its diagonal (separable).</summary>
    public required ValueArray<double> EigenScales { get; init; }

    /// <summary>The evaluation count when B and D were last computed from C.</summary>
    public required long EigenEvaluations { get; init; }

    /// <summary>p_σ, the conjugate evolution path.</summary>
    public required ValueArray<double> PathSigma { get; init; }

    /// <summary>p_c, the evolution path of the rank-one update.</summary>
    public required ValueArray<double> PathC { get; init; }

    /// <summary>Best fitness of each recent generation (for TolFun), oldest first.</summary>
    public required ValueArray<double> BestHistory { get; init; }

    /// <summary>The best candidate so far, or null before the first Tell.</summary>
    public BestCandidate? Best { get; init; }

    /// <summary>Why the run stopped, or null while it goes on.</summary>
    public CmaEsStopReason? Stop { get; init; }

    /// <summary>The mean as a genome (mapped into the bounds): the run's current estimate.</summary>
    [JsonIgnore]
    public ValueArray<double> MeanGenome =>
        Parameters.Bounds is { } b
            ? ValueArray<double>.Own(BoundTransform.Apply(b, Mean.AsSpan()))
            : Mean;

    /// <summary>
    /// A hash of this state's distribution, stamped on the candidates Ask makes, so Tell can refuse
    /// candidates drawn from another state (FNV-1a over the generation, evaluations, σ and m).
    /// </summary>
    [JsonIgnore]
    public ulong Fingerprint
    {
        get
        {
            var hash = new StateFingerprint();
            hash.Add((ulong)Generation);
            hash.Add((ulong)Evaluations);
            hash.Add(Sigma);
            foreach (var m in Mean)
                hash.Add(m);
            return hash.Value;
        }
    }
}

/// <summary>
/// The λ candidates of one generation, as made by <see cref="CmaEs.Ask"/>: evaluate
/// <see cref="Genomes"/> and hand the fitness values back to <see cref="CmaEs.Tell"/> in the same order.
/// </summary>
/// <param name="Generation">The generation of the state that made them.</param>
/// <param name="StateFingerprint">That state's <see cref="CmaEsState.Fingerprint"/>.</param>
/// <param name="Samples">The raw samples m + σ·B·D·z in the optimizer's unbounded space (Tell learns from these).</param>
/// <param name="Genomes">The samples mapped into the bounds: what the caller evaluates.</param>
public sealed record CmaEsCandidates(
    int Generation,
    ulong StateFingerprint,
    ValueArray<ValueArray<double>> Samples,
    ValueArray<ValueArray<double>> Genomes
);
