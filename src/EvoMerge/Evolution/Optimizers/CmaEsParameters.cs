using EvoMerge.Common;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// The strategy constants of CMA-ES, computed once from the dimension n and population size λ
/// (Hansen, "The CMA Evolution Strategy: A Tutorial", arXiv:1604.00772, Table 1, eqs. 48–58;
/// negative weights for the λ − μ worst only with <see cref="CmaEsOptions.Active"/>), plus the problem's bounds and
/// stopping criteria. Build it with <see cref="Create"/>; the per-generation values live in
/// <see cref="CmaEsState"/>.
/// </summary>
public sealed record CmaEsParameters
{
    /// <summary>n, the genome length.</summary>
    public required int Dimension { get; init; }

    /// <summary>λ, candidates per generation.</summary>
    public required int PopulationSize { get; init; }

    /// <summary>μ = ⌊λ/2⌋, the number of selected (positively weighted) candidates.</summary>
    public required int Mu { get; init; }

    /// <summary>
    /// One weight per rank, w₁ ≥ … ≥ w_λ (eqs. 49, 53): the first μ are positive and sum to 1 (they
    /// move the mean); the rest are negative with active CMA (they only shrink C) and 0 otherwise.
    /// </summary>
    public required ValueArray<double> Weights { get; init; }

    /// <summary>μ_eff = (Σwᵢ)² / Σwᵢ² (the variance-effective selection mass).</summary>
    public required double MuEff { get; init; }

    /// <summary>c_σ, the cumulation rate of the step-size path (eq. 55).</summary>
    public required double CSigma { get; init; }

    /// <summary>d_σ, the step-size damping (eq. 55).</summary>
    public required double DSigma { get; init; }

    /// <summary>c_c, the cumulation rate of the rank-one path (eq. 56).</summary>
    public required double Cc { get; init; }

    /// <summary>c₁, the rank-one learning rate (eq. 57; ×(n+2)/3 for sep-CMA).</summary>
    public required double C1 { get; init; }

    /// <summary>c_μ, the rank-μ learning rate (eq. 58; ×(n+2)/3 for sep-CMA).</summary>
    public required double CMu { get; init; }

    /// <summary>E‖N(0, I)‖ ≈ √n (1 − 1/(4n) + 1/(21n²)) (text after eq. 44).</summary>
    public required double ExpectedNorm { get; init; }

    /// <summary>Full or separable (never Auto here).</summary>
    public required CovarianceModel Covariance { get; init; }

    /// <summary>Box bounds, or null for an unbounded search.</summary>
    public BoxBounds? Bounds { get; init; }

    /// <summary>Stopping criteria.</summary>
    public required CmaEsTermination Termination { get; init; }

    /// <summary>The default population size 4 + ⌊3 ln n⌋ (eq. 48).</summary>
    public static int DefaultPopulationSize(int dimension) =>
        4 + (int)Math.Floor(3 * Math.Log(dimension));

    /// <summary>Computes every constant from n and the options.</summary>
    public static CmaEsParameters Create(int dimension, CmaEsOptions? options = null)
    {
        options ??= new CmaEsOptions();
        if (dimension < 1)
            throw new OptimizerInputException(
                $"CMA-ES needs at least one dimension, got {dimension}."
            );
        var lambda = options.PopulationSize ?? DefaultPopulationSize(dimension);
        if (lambda < 2)
            throw new OptimizerInputException(
                $"CMA-ES needs a population of at least 2, got {lambda}."
            );
        if (options.Bounds is { } b && b.Dimension != dimension)
            throw new OptimizerInputException(
                $"Bounds have {b.Dimension} coordinates, the genome {dimension}."
            );
        var t = options.Termination;
        if (
            !(t.TolFun >= 0)
            || !(t.TolXRelative >= 0)
            || !(t.MaxCondition > 1)
            || t.MaxEvaluations < 1
        )
            throw new OptimizerInputException($"Invalid termination settings: {t}.");

        double n = dimension;
        var mu = lambda / 2;
        // eq. 49: w'ᵢ = ln((λ+1)/2) − ln i; the first μ are positive. eq. 53: normalize them to sum 1.
        var raw = Enumerable
            .Range(1, lambda)
            .Select(i => Math.Log((lambda + 1) / 2.0) - Math.Log(i))
            .ToArray();
        var positiveSum = raw.Take(mu).Sum();
        var weights = raw.Select((w, i) => i < mu ? w / positiveSum : 0).ToArray();
        var muEff = 1.0 / weights.Take(mu).Sum(w => w * w); // (Σw)² / Σw² with Σw = 1

        // eq. 55: step-size control.
        var cSigma = (muEff + 2) / (n + muEff + 5);
        var dSigma = 1 + 2 * Math.Max(0, Math.Sqrt((muEff - 1) / (n + 1)) - 1) + cSigma;
        // eq. 56: cumulation for the rank-one update.
        var cc = (4 + muEff / n) / (n + 4 + 2 * muEff / n);
        // eqs. 57–58 with α_cov = 2.
        const double alphaCov = 2;
        var c1 = alphaCov / ((n + 1.3) * (n + 1.3) + muEff);
        var cMu = Math.Min(
            1 - c1,
            alphaCov * (muEff - 2 + 1 / muEff) / ((n + 2) * (n + 2) + alphaCov * muEff / 2)
        );

        var model = options.Covariance switch
        {
            CovarianceModel.Auto => dimension > options.SeparableAbove
                ? CovarianceModel.Separable
                : CovarianceModel.Full,
            var m => m,
        };
        if (model == CovarianceModel.Separable)
        {
            // Ros & Hansen 2008: a diagonal C has n instead of n²/2 free parameters, so it can learn
            // (n+2)/3 times faster: c_cov^sep = (n+2)/3 · c_cov (pycma's CMA_diagonal uses the same factor).
            var factor = (n + 2) / 3;
            c1 = Math.Min(c1 * factor, 1);
            cMu = Math.Min(1 - c1, cMu * factor);
        }
        if (options.Active && lambda > mu)
        {
            // Active CMA, eqs. 50–53: scale the negative w' to sum to −min(α_μ⁻, α_μeff⁻, α_posdef⁻),
            // which keeps C positive definite (α_posdef⁻) and the decay of C moderate (α_μ⁻, α_μeff⁻).
            var negative = raw.Skip(mu).Where(w => w < 0).ToArray();
            if (negative.Length > 0)
            {
                var muEffMinus = Math.Pow(negative.Sum(), 2) / negative.Sum(w => w * w);
                var alphaMu = 1 + c1 / cMu;
                var alphaMuEff = 1 + 2 * muEffMinus / (muEff + 2);
                var alphaPosDef = (1 - c1 - cMu) / (n * cMu);
                var scale = Math.Min(alphaMu, Math.Min(alphaMuEff, alphaPosDef)) / -negative.Sum();
                for (var i = mu; i < lambda; i++)
                    weights[i] = raw[i] < 0 ? raw[i] * scale : 0;
            }
        }

        return new CmaEsParameters
        {
            Dimension = dimension,
            PopulationSize = lambda,
            Mu = mu,
            Weights = ValueArray<double>.Own(weights),
            MuEff = muEff,
            CSigma = cSigma,
            DSigma = dSigma,
            Cc = cc,
            C1 = c1,
            CMu = cMu,
            ExpectedNorm = Math.Sqrt(n) * (1 - 1 / (4 * n) + 1 / (21 * n * n)),
            Covariance = model,
            Bounds = options.Bounds,
            Termination = t,
        };
    }
}
