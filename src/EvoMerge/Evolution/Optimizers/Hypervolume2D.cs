namespace EvoMerge.Evolution.Optimizers;

/// <summary>The hypervolume indicator for two minimized objectives.</summary>
public static class Hypervolume2D
{
    /// <summary>
    /// The area dominated by <paramref name="points"/> and bounded by the reference point (<paramref name="referenceX"/>, <paramref name="referenceY"/>)
    /// (points not strictly better than the reference in both objectives add nothing). Sweeps the
    /// points by the first objective, adding one rectangle per non-dominated point: O(N log N).
    /// </summary>
    public static double Compute(
        IEnumerable<IReadOnlyList<double>> points,
        double referenceX,
        double referenceY
    )
    {
        var sorted = points
            .Select(p =>
                p.Count == 2 && double.IsFinite(p[0]) && double.IsFinite(p[1])
                    ? (X: p[0], Y: p[1])
                    : throw new OptimizerInputException(
                        "Hypervolume2D needs finite points with two objectives."
                    )
            )
            .Where(p => p.X < referenceX && p.Y < referenceY)
            .OrderBy(p => p.X)
            .ThenBy(p => p.Y);
        var volume = 0.0;
        var lowestY = referenceY;
        foreach (var (x, y) in sorted)
        {
            if (y >= lowestY)
                continue; // dominated by a point with smaller or equal x
            volume += (referenceX - x) * (lowestY - y);
            lowestY = y;
        }
        return volume;
    }
}
