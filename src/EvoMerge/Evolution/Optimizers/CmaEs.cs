using EvoMerge.Common;
using EvoMerge.Common.Random;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// CMA-ES as pure ask/tell functions after Hansen, "The CMA Evolution Strategy: A Tutorial"
/// (arXiv:1604.00772); comments cite its equation numbers. Full covariance, or diagonal sep-CMA
/// (Ros &amp; Hansen 2008) for long genomes.
/// Convention: the core MINIMIZES. Callers that maximize (accuracy) negate once, where they hand
/// fitness to <see cref="Tell"/>.
/// <code>
/// var state = CmaEs.Start(CmaEsParameters.Create(n, options), initialMean, sigma);
/// var rng = new Xoshiro256StarStar(seed);
/// while (state.Stop is null)
/// {
///     var candidates = CmaEs.Ask(state, rng);
///     state = CmaEs.Tell(state, candidates, candidates.Genomes.Select(f).ToArray());
/// }
/// </code>
/// </summary>
public static class CmaEs
{
    /// <summary>The state before the first generation: m = <paramref name="initialMean"/>, σ = <paramref name="initialSigma"/>, C = I, paths 0.</summary>
    /// <param name="parameters">Constants from <see cref="CmaEsParameters.Create"/>.</param>
    /// <param name="initialMean">The starting genome (inside the bounds, if any).</param>
    /// <param name="initialSigma">σ₀, e.g. a sixth of the bounds' width (the paper uses 1/6 on [0, 1]).</param>
    public static CmaEsState Start(
        CmaEsParameters parameters,
        IReadOnlyList<double> initialMean,
        double initialSigma
    )
    {
        var n = parameters.Dimension;
        if (initialMean.Count != n)
            throw new OptimizerInputException(
                $"The initial mean has {initialMean.Count} values, the genome {n}."
            );
        if (initialMean.Any(x => !double.IsFinite(x)))
            throw new OptimizerInputException("The initial mean contains NaN or infinite values.");
        if (!(initialSigma > 0) || !double.IsFinite(initialSigma))
            throw new OptimizerInputException(
                $"σ₀ must be positive and finite, got {initialSigma}."
            );
        var mean = initialMean.ToArray();
        if (parameters.Bounds is { } bounds)
            mean = BoundTransform.Inverse(bounds, mean);

        var full = parameters.Covariance == CovarianceModel.Full;
        var identity = new double[full ? n * n : n];
        if (full)
            for (var i = 0; i < n; i++)
                identity[i * n + i] = 1;
        else
            Array.Fill(identity, 1.0);
        return new CmaEsState
        {
            Parameters = parameters,
            Generation = 0,
            Evaluations = 0,
            Mean = ValueArray<double>.Own(mean),
            Sigma = initialSigma,
            InitialSigma = initialSigma,
            Covariance = ValueArray<double>.Own(identity),
            EigenBasis = full
                ? ValueArray<double>.Own((double[])identity.Clone())
                : ValueArray<double>.Empty,
            EigenScales = ValueArray<double>.Own(Enumerable.Repeat(1.0, n).ToArray()),
            EigenEvaluations = 0,
            PathSigma = ValueArray<double>.Own(new double[n]),
            PathC = ValueArray<double>.Own(new double[n]),
            BestHistory = ValueArray<double>.Empty,
        };
    }

    /// <summary>
    /// Samples λ candidates xₖ = m + σ·B·D·zₖ, zₖ ~ N(0, I) (eqs. 38–40), and maps them into the bounds.
    /// Pure apart from advancing <paramref name="rng"/>.
    /// </summary>
    public static CmaEsCandidates Ask(CmaEsState state, Xoshiro256StarStar rng)
    {
        if (state.Stop is { } reason)
            throw new InvalidOperationException(
                $"This CMA-ES run has stopped ({reason}); start a new one or restart (IpopCmaEs)."
            );
        var p = state.Parameters;
        int n = p.Dimension,
            lambda = p.PopulationSize;
        var full = p.Covariance == CovarianceModel.Full;
        var z = new double[n];
        var samples = new ValueArray<double>[lambda];
        var genomes = new ValueArray<double>[lambda];
        for (var k = 0; k < lambda; k++)
        {
            for (var i = 0; i < n; i++)
                z[i] = rng.NextGaussian() * state.EigenScales[i]; // D z
            var x = new double[n];
            for (var i = 0; i < n; i++)
            {
                double y; // y = B D z ~ N(0, C) (eq. 39)
                if (full)
                {
                    y = 0;
                    for (var j = 0; j < n; j++)
                        y += state.EigenBasis[i * n + j] * z[j];
                }
                else
                    y = z[i];
                x[i] = state.Mean[i] + state.Sigma * y; // eq. 40
            }
            samples[k] = ValueArray<double>.Own(x);
            genomes[k] = p.Bounds is { } b
                ? ValueArray<double>.Own(BoundTransform.Apply(b, x))
                : samples[k];
        }
        return new CmaEsCandidates(
            state.Generation,
            state.Fingerprint,
            ValueArray<ValueArray<double>>.Own(samples),
            ValueArray<ValueArray<double>>.Own(genomes)
        );
    }

    /// <summary>
    /// Updates the distribution from the candidates' fitness (lower is better) and returns the next
    /// state; <paramref name="state"/> is not changed. Throws <see cref="OptimizerInputException"/>
    /// for wrong counts or lengths, NaN/infinite values, or candidates from another state.
    /// </summary>
    public static CmaEsState Tell(
        CmaEsState state,
        CmaEsCandidates candidates,
        IReadOnlyList<double> fitness
    )
    {
        Validate(state, candidates, fitness);
        var p = state.Parameters;
        int n = p.Dimension,
            lambda = p.PopulationSize,
            mu = p.Mu;
        var full = p.Covariance == CovarianceModel.Full;
        var sigma = state.Sigma;
        var mean = state.Mean;

        // Rank by fitness; ties keep sampling order, so duplicates and flat fitness stay deterministic.
        var order = Enumerable.Range(0, lambda).OrderBy(k => fitness[k]).ThenBy(k => k).ToArray();

        // yᵢ:λ = (xᵢ:λ − m)/σ (eq. 39 inverted) for every rank with a non-zero weight.
        var ranked = p.Weights.Count;
        while (ranked > p.Mu && p.Weights[ranked - 1] == 0)
            ranked--;
        var ys = new double[ranked][];
        for (var r = 0; r < ranked; r++)
        {
            var x = candidates.Samples[order[r]];
            var y = ys[r] = new double[n];
            for (var i = 0; i < n; i++)
                y[i] = (x[i] - mean[i]) / sigma;
        }
        // eq. 46: w°ᵢ = wᵢ for wᵢ ≥ 0, wᵢ · n / ‖C^(−1/2) yᵢ:λ‖² for negative (active) weights, so a
        // long bad step cannot shrink C more than a typical one.
        var wCirc = new double[ranked];
        for (var r = 0; r < ranked; r++)
        {
            wCirc[r] = p.Weights[r];
            if (wCirc[r] < 0)
            {
                var z = InverseSqrtC(state, ys[r]);
                wCirc[r] *= n / Math.Max(z.Sum(v => v * v), 1e-300);
            }
        }

        // eq. 41: ⟨y⟩_w = Σᵢ wᵢ yᵢ:λ; eq. 42 with c_m = 1 (eq. 54): m ← m + σ·⟨y⟩_w.
        var yw = new double[n];
        for (var r = 0; r < mu; r++)
        for (var i = 0; i < n; i++)
            yw[i] += p.Weights[r] * ys[r][i];
        var newMean = new double[n];
        for (var i = 0; i < n; i++)
            newMean[i] = mean[i] + sigma * yw[i];

        // eq. 43: p_σ ← (1 − c_σ) p_σ + √(c_σ(2 − c_σ)μ_eff) · C^(−1/2) ⟨y⟩_w, with C^(−1/2) = B D⁻¹ Bᵀ.
        var invSqrtCyw = InverseSqrtC(state, yw);
        var psFactor = Math.Sqrt(p.CSigma * (2 - p.CSigma) * p.MuEff);
        var pathSigma = new double[n];
        for (var i = 0; i < n; i++)
            pathSigma[i] = (1 - p.CSigma) * state.PathSigma[i] + psFactor * invSqrtCyw[i];
        var psNorm = Math.Sqrt(pathSigma.Sum(v => v * v));

        // h_σ (below eq. 45): stall the rank-one path while ‖p_σ‖ is large, i.e. while σ is still growing.
        var generation = state.Generation + 1;
        var hSigma =
            psNorm / Math.Sqrt(1 - Math.Pow(1 - p.CSigma, 2.0 * generation))
            < (1.4 + 2.0 / (n + 1)) * p.ExpectedNorm;

        // eq. 45: p_c ← (1 − c_c) p_c + h_σ √(c_c(2 − c_c)μ_eff) ⟨y⟩_w.
        var pcFactor = hSigma ? Math.Sqrt(p.Cc * (2 - p.Cc) * p.MuEff) : 0;
        var pathC = new double[n];
        for (var i = 0; i < n; i++)
            pathC[i] = (1 - p.Cc) * state.PathC[i] + pcFactor * yw[i];

        // eq. 47: C ← (1 + c₁δ(h_σ) − c₁ − c_μ Σⱼwⱼ) C + c₁ p_c p_cᵀ + c_μ Σᵢ w°ᵢ yᵢ:λ yᵢ:λᵀ,
        // δ(h_σ) = (1 − h_σ) c_c(2 − c_c); Σⱼwⱼ runs over all λ weights (= 1 without active CMA).
        var delta = hSigma ? 0 : p.Cc * (2 - p.Cc);
        var weightSum = 1 + p.Weights.Skip(p.Mu).Sum(); // the positive weights sum to 1 by construction
        var decay = 1 + p.C1 * delta - p.C1 - p.CMu * weightSum;
        var cov = state.Covariance.ToArray();
        if (full)
        {
            for (var i = 0; i < n; i++)
            for (var j = 0; j <= i; j++)
            {
                var rankMu = 0.0;
                for (var r = 0; r < ranked; r++)
                    rankMu += wCirc[r] * ys[r][i] * ys[r][j];
                var value = decay * cov[i * n + j] + p.C1 * pathC[i] * pathC[j] + p.CMu * rankMu;
                cov[i * n + j] = value;
                cov[j * n + i] = value;
            }
        }
        else
        {
            // sep-CMA: the same update restricted to the diagonal.
            for (var i = 0; i < n; i++)
            {
                var rankMu = 0.0;
                for (var r = 0; r < ranked; r++)
                    rankMu += wCirc[r] * ys[r][i] * ys[r][i];
                cov[i] = decay * cov[i] + p.C1 * pathC[i] * pathC[i] + p.CMu * rankMu;
            }
        }

        // eq. 44: σ ← σ exp((c_σ/d_σ)(‖p_σ‖/E‖N(0, I)‖ − 1)); the exponent is capped at 1 as in
        // purecma/pycma, so one odd generation cannot blow σ up by more than a factor e.
        var newSigma =
            sigma * Math.Exp(Math.Min(1, p.CSigma / p.DSigma * (psNorm / p.ExpectedNorm - 1)));

        // B and D: recomputed from C only every λ/((c₁ + c_μ) n 10) evaluations (appendix B.2),
        // which keeps the O(n³) decomposition below the cost of the updates.
        var evaluations = state.Evaluations + lambda;
        var basis = state.EigenBasis;
        var scales = state.EigenScales;
        var eigenEvaluations = state.EigenEvaluations;
        if (!full)
        {
            scales = ValueArray<double>.Own(cov.Select(c => Math.Sqrt(Math.Max(c, 0))).ToArray());
            eigenEvaluations = evaluations;
        }
        else if (
            evaluations - state.EigenEvaluations > lambda / ((p.C1 + p.CMu) * n * 10)
            && cov.All(double.IsFinite)
        )
        {
            var (values, vectors) = SymmetricEigen.Decompose(cov, n);
            // Rounding can leave tiny negative eigenvalues; floor them far below the condition limit.
            var floor = Math.Max(values[^1], 0) * 1e-20;
            basis = ValueArray<double>.Own(vectors);
            scales = ValueArray<double>.Own(
                values.Select(v => Math.Sqrt(Math.Max(v, floor))).ToArray()
            );
            eigenEvaluations = evaluations;
        }

        // Best so far and the per-generation best for TolFun.
        var bestIndex = order[0];
        var best = state.Best;
        if (best is null || fitness[bestIndex] < best.Fitness)
            best = new BestCandidate(
                candidates.Genomes[bestIndex],
                fitness[bestIndex],
                state.Evaluations + bestIndex + 1
            );
        var historyLength = 10 + (int)Math.Ceiling(30.0 * n / lambda);
        var history = state
            .BestHistory.Append(fitness[bestIndex])
            .TakeLast(historyLength)
            .ToArray();

        var next = state with
        {
            Generation = generation,
            Evaluations = evaluations,
            Mean = ValueArray<double>.Own(newMean),
            Sigma = newSigma,
            Covariance = ValueArray<double>.Own(cov),
            EigenBasis = basis,
            EigenScales = scales,
            EigenEvaluations = eigenEvaluations,
            PathSigma = ValueArray<double>.Own(pathSigma),
            PathC = ValueArray<double>.Own(pathC),
            BestHistory = ValueArray<double>.Own(history),
            Best = best,
        };
        return next with
        {
            Stop = CmaEsStopping.Check(next, fitness[order[0]], fitness[order[^1]]),
        };
    }

    /// <summary>
    /// Runs ask/tell until a stopping criterion fires, evaluating <paramref name="objective"/> (minimized)
    /// serially. Convenient for notebooks and tests; a run loop with parallel evaluation calls Ask/Tell itself.
    /// </summary>
    public static CmaEsState Minimize(
        CmaEsState state,
        Func<ValueArray<double>, double> objective,
        Xoshiro256StarStar rng
    ) => AskTellLoop.Minimize(state, s => s.Stop is not null, s => Ask(s, rng), Tell, objective);

    /// <summary>C^(−1/2) v = B D⁻¹ Bᵀ v (full) or v / D (separable).</summary>
    static double[] InverseSqrtC(CmaEsState state, double[] v)
    {
        var n = v.Length;
        var d = state.EigenScales;
        if (state.Parameters.Covariance != CovarianceModel.Full)
            return v.Select((x, i) => x / d[i]).ToArray();
        var b = state.EigenBasis;
        var t = new double[n];
        for (var k = 0; k < n; k++)
        {
            var s = 0.0;
            for (var i = 0; i < n; i++)
                s += b[i * n + k] * v[i];
            t[k] = s / d[k];
        }
        var result = new double[n];
        for (var i = 0; i < n; i++)
        {
            var s = 0.0;
            for (var k = 0; k < n; k++)
                s += b[i * n + k] * t[k];
            result[i] = s;
        }
        return result;
    }

    static void Validate(
        CmaEsState state,
        CmaEsCandidates candidates,
        IReadOnlyList<double> fitness
    )
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(fitness);
        var p = state.Parameters;
        if (state.Stop is { } reason)
            throw new OptimizerInputException(
                $"This CMA-ES run has stopped ({reason}); it takes no more fitness values."
            );
        if (
            candidates.Generation != state.Generation
            || candidates.StateFingerprint != state.Fingerprint
        )
            throw new OptimizerInputException(
                $"The candidates were asked from another state (generation {candidates.Generation}), not from this state (generation {state.Generation})."
            );
        if (fitness.Count != p.PopulationSize)
            throw new OptimizerInputException(
                $"Expected {p.PopulationSize} fitness values, got {fitness.Count}."
            );
        if (
            candidates.Samples.Count != p.PopulationSize
            || candidates.Genomes.Count != p.PopulationSize
        )
            throw new OptimizerInputException(
                $"Expected {p.PopulationSize} candidates, got {candidates.Samples.Count} samples and {candidates.Genomes.Count} genomes."
            );
        for (var k = 0; k < fitness.Count; k++)
            if (!double.IsFinite(fitness[k]))
                throw new OptimizerInputException(
                    $"Fitness of candidate {k} is {fitness[k]}; CMA-ES needs finite values (give failed evaluations a large finite penalty)."
                );
        for (var k = 0; k < p.PopulationSize; k++)
        {
            var x = candidates.Samples[k];
            var g = candidates.Genomes[k];
            if (x is null || g is null || x.Count != p.Dimension || g.Count != p.Dimension)
                throw new OptimizerInputException(
                    $"Candidate {k} does not have {p.Dimension} values."
                );
            for (var i = 0; i < p.Dimension; i++)
            {
                if (!double.IsFinite(x[i]) || !double.IsFinite(g[i]))
                    throw new OptimizerInputException(
                        $"Candidate {k} has a NaN or infinite value at coordinate {i}."
                    );
                var expected = p.Bounds is { } b
                    ? BoundTransform.Apply(b.Lower[i], b.Upper[i], x[i])
                    : x[i];
                if (g[i] != expected)
                    throw new OptimizerInputException(
                        $"Candidate {k}'s genome at coordinate {i} ({g[i]}) is not its sample mapped into the bounds ({expected}); candidates must come unchanged from Ask."
                    );
            }
        }
    }
}
