namespace EvoMerge.Evolution.Optimizers;

/// <summary>The stopping criteria of the tutorial's appendix B.3, checked after each Tell.</summary>
static class CmaEsStopping
{
    /// <summary>The first criterion that fires for <paramref name="state"/>, or null.</summary>
    public static CmaEsStopReason? Check(
        CmaEsState state,
        double generationBest,
        double generationWorst
    )
    {
        var p = state.Parameters;
        var t = p.Termination;
        int n = p.Dimension;
        var full = p.Covariance == CovarianceModel.Full;
        double Cii(int i) => full ? state.Covariance[i * n + i] : state.Covariance[i];

        if (
            !double.IsFinite(state.Sigma)
            || !(state.Sigma > 0)
            || state.Mean.Any(m => !double.IsFinite(m))
            || state.Covariance.Any(c => !double.IsFinite(c))
        )
            return CmaEsStopReason.NumericalError;
        if (t.TargetFitness is { } target && state.Best!.Fitness <= target)
            return CmaEsStopReason.TargetFitness;
        if (state.Evaluations >= t.MaxEvaluations)
            return CmaEsStopReason.MaxEvaluations;

        // TolFun: the last 10 + ⌈30n/λ⌉ generation bests (at least 10 of them) and this generation all within TolFun.
        var history = state.BestHistory;
        if (
            history.Count >= 10
            && history.Max() - history.Min() < t.TolFun
            && generationWorst - generationBest < t.TolFun
        )
            return CmaEsStopReason.TolFun;

        // TolX: σ√Cᵢᵢ and σ|p_c,i| below TolX·σ₀ in every coordinate.
        var tolX = t.TolXRelative * state.InitialSigma;
        var small = true;
        for (var i = 0; i < n && small; i++)
            small =
                state.Sigma * Math.Sqrt(Cii(i)) < tolX
                && state.Sigma * Math.Abs(state.PathC[i]) < tolX;
        if (small)
            return CmaEsStopReason.TolX;

        // Condition number of C = (max D / min D)².
        var d = state.EigenScales;
        double dMax = d.Max(),
            dMin = d.Min();
        if (!(dMin > 0) || dMax * dMax / (dMin * dMin) > t.MaxCondition)
            return CmaEsStopReason.ConditionCov;

        // NoEffectAxis: m + 0.1σ dᵢ bᵢ == m, axis i = g mod n.
        if (t.NoEffectAxis && full)
        {
            var axis = state.Generation % n;
            var unchanged = true;
            for (var i = 0; i < n && unchanged; i++)
            {
                var m = state.Mean[i];
                unchanged = m + 0.1 * state.Sigma * d[axis] * state.EigenBasis[i * n + axis] == m;
            }
            if (unchanged)
                return CmaEsStopReason.NoEffectAxis;
        }

        // NoEffectCoord: mᵢ + 0.2σ√Cᵢᵢ == mᵢ for some i.
        if (t.NoEffectCoordinate)
            for (var i = 0; i < n; i++)
            {
                var m = state.Mean[i];
                if (m + 0.2 * state.Sigma * Math.Sqrt(Cii(i)) == m)
                    return CmaEsStopReason.NoEffectCoordinate;
            }
        return null;
    }
}
