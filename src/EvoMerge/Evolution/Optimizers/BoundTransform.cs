namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// pycma's <c>BoxConstraintsLinQuadTransformation</c> (cma/transformations.py): a map from ℝⁿ onto
/// the box that is the identity in the interior, quadratic within a margin of each bound, and
/// periodic (mirrored) beyond. CMA-ES samples and updates in the unbounded space; callers only see
/// the transformed, always-feasible genomes.
/// Why a transform rather than clamping with a penalty or repairing the samples: the sampled
/// distribution stays exactly Gaussian, so Tell learns from the very points it sampled (no biased
/// step lengths and no penalty weights to adapt), every evaluated genome is feasible, and, unlike
/// plain mirroring, the map is smooth, so an optimum on a bound is a smooth minimum, not a kink.
/// </summary>
public static class BoundTransform
{
    /// <summary>Maps an unbounded point into the box.</summary>
    public static double[] Apply(BoxBounds bounds, ReadOnlySpan<double> x)
    {
        var result = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
            result[i] = Apply(bounds.Lower[i], bounds.Upper[i], x[i]);
        return result;
    }

    /// <summary>
    /// A preimage of a point in the box: the identity in the interior, the inverse of the quadratic
    /// piece near the bounds. Points outside the box are clamped first.
    /// </summary>
    public static double[] Inverse(BoxBounds bounds, ReadOnlySpan<double> y)
    {
        var result = new double[y.Length];
        for (var i = 0; i < y.Length; i++)
        {
            double lb = bounds.Lower[i],
                ub = bounds.Upper[i];
            var (al, au) = Margins(lb, ub);
            var v = Math.Clamp(y[i], lb, ub);
            result[i] =
                v < lb + al ? lb - al + 2 * Math.Sqrt(al * (v - lb))
                : v > ub - au ? ub + au - 2 * Math.Sqrt(au * (ub - v))
                : v;
        }
        return result;
    }

    /// <summary>One coordinate of the transform.</summary>
    public static double Apply(double lb, double ub, double x)
    {
        var (al, au) = Margins(lb, ub);
        // Shift by whole periods into [lb − al − …, ub + au + …], then mirror into [lb − al, ub + au].
        if (x < lb - 2 * al - (ub - lb) / 2.0 || x > ub + 2 * au + (ub - lb) / 2.0)
        {
            var period = 2 * (ub - lb + al + au);
            var start = lb - 2 * al - (ub - lb) / 2.0;
            x -= period * Math.Floor((x - start) / period);
        }
        if (x > ub + au)
            x -= 2 * (x - ub - au);
        if (x < lb - al)
            x += 2 * (lb - al - x);
        // Quadratic near the bounds (value and slope continuous at lb + al and ub − au).
        var y =
            x < lb + al ? lb + (x - (lb - al)) * (x - (lb - al)) / 4 / al
            : x < ub - au ? x
            : ub - (x - (ub + au)) * (x - (ub + au)) / 4 / au;
        return Math.Clamp(y, lb, ub); // guards the last ulp after floating-point shifts
    }

    /// <summary>Widths of the quadratic pieces: min((ub − lb)/2, (1 + |bound|)/20), as in pycma.</summary>
    static (double Lower, double Upper) Margins(double lb, double ub) =>
        (
            Math.Min((ub - lb) / 2, (1 + Math.Abs(lb)) / 20),
            Math.Min((ub - lb) / 2, (1 + Math.Abs(ub)) / 20)
        );
}
