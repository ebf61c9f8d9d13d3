using EvoMerge.Common.Random;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// Real-coded variation operators with bounds, following Deb's NSGA-II reference code (nsga2-v1.1,
/// crossover.c and mutation.c): simulated binary crossover (Deb &amp; Agrawal 1995) and polynomial
/// mutation (Deb &amp; Goyal 1996). Both work in place on child arrays.
/// </summary>
public static class RealVariation
{
    /// <summary>
    /// SBX: each gene is recombined with probability 1/2; the spread factor β_q follows a polynomial
    /// distribution with index η_c, truncated so both children stay inside [lb, ub].
    /// </summary>
    public static void SimulatedBinaryCrossover(
        Span<double> child1,
        Span<double> child2,
        BoxBounds bounds,
        double eta,
        Xoshiro256StarStar rng
    )
    {
        for (var i = 0; i < child1.Length; i++)
        {
            if (rng.NextDouble() > 0.5)
                continue;
            double a = child1[i],
                b = child2[i];
            if (Math.Abs(a - b) <= 1e-14)
                continue;
            double y1 = Math.Min(a, b),
                y2 = Math.Max(a, b),
                lb = bounds.Lower[i],
                ub = bounds.Upper[i];
            var u = rng.NextDouble();
            var c1 =
                0.5 * (y1 + y2 - SpreadFactor(1 + 2 * (y1 - lb) / (y2 - y1), eta, u) * (y2 - y1));
            var c2 =
                0.5 * (y1 + y2 + SpreadFactor(1 + 2 * (ub - y2) / (y2 - y1), eta, u) * (y2 - y1));
            c1 = Math.Clamp(c1, lb, ub);
            c2 = Math.Clamp(c2, lb, ub);
            if (rng.NextDouble() <= 0.5)
                (child1[i], child2[i]) = (c2, c1);
            else
                (child1[i], child2[i]) = (c1, c2);
        }
    }

    /// <summary>β_q for SBX with the bound-limited spread β (α = 2 − β^−(η+1)).</summary>
    static double SpreadFactor(double beta, double eta, double u)
    {
        var alpha = 2 - Math.Pow(beta, -(eta + 1));
        return u <= 1 / alpha
            ? Math.Pow(u * alpha, 1 / (eta + 1))
            : Math.Pow(1 / (2 - u * alpha), 1 / (eta + 1));
    }

    /// <summary>
    /// Polynomial mutation: each gene mutates with probability <paramref name="probability"/> by a
    /// perturbation whose distribution (index η_m) shrinks towards the nearer bound, so it stays inside.
    /// </summary>
    public static void PolynomialMutation(
        Span<double> genome,
        BoxBounds bounds,
        double probability,
        double eta,
        Xoshiro256StarStar rng
    )
    {
        for (var i = 0; i < genome.Length; i++)
        {
            if (rng.NextDouble() > probability)
                continue;
            double y = genome[i],
                lb = bounds.Lower[i],
                ub = bounds.Upper[i];
            double delta1 = (y - lb) / (ub - lb),
                delta2 = (ub - y) / (ub - lb);
            var u = rng.NextDouble();
            var power = 1 / (eta + 1);
            double deltaQ;
            if (u <= 0.5)
            {
                var value = 2 * u + (1 - 2 * u) * Math.Pow(1 - delta1, eta + 1);
                deltaQ = Math.Pow(value, power) - 1;
            }
            else
            {
                var value = 2 * (1 - u) + 2 * (u - 0.5) * Math.Pow(1 - delta2, eta + 1);
                deltaQ = 1 - Math.Pow(value, power);
            }
            genome[i] = Math.Clamp(y + deltaQ * (ub - lb), lb, ub);
        }
    }
}
