namespace EvoMerge.Evolution.Optimizers;

/// <summary>Per-coordinate box bounds [Lower[i], Upper[i]] (the paper's genes live in [0, 1]).</summary>
public sealed record BoxBounds
{
    /// <summary>Bounds with the given lower and upper vectors (finite, Lower[i] &lt; Upper[i]).</summary>
    public BoxBounds(ValueArray<double> lower, ValueArray<double> upper)
    {
        if (lower.Count != upper.Count)
            throw new OptimizerInputException(
                $"Bounds have {lower.Count} lower but {upper.Count} upper values."
            );
        for (var i = 0; i < lower.Count; i++)
            if (!double.IsFinite(lower[i]) || !double.IsFinite(upper[i]) || !(lower[i] < upper[i]))
                throw new OptimizerInputException(
                    $"Bounds at coordinate {i} must be finite with lower < upper, got [{lower[i]}, {upper[i]}]."
                );
        Lower = lower;
        Upper = upper;
    }

    /// <summary>The same interval [<paramref name="lower"/>, <paramref name="upper"/>] in every one of <paramref name="dimension"/> coordinates.</summary>
    public static BoxBounds Uniform(int dimension, double lower, double upper) =>
        new(
            ValueArray.From(Enumerable.Repeat(lower, dimension)),
            ValueArray.From(Enumerable.Repeat(upper, dimension))
        );

    /// <summary>Lower bounds.</summary>
    public ValueArray<double> Lower { get; }

    /// <summary>Upper bounds.</summary>
    public ValueArray<double> Upper { get; }

    /// <summary>Number of coordinates.</summary>
    public int Dimension => Lower.Count;

    /// <summary>Whether every coordinate of <paramref name="x"/> lies inside the box.</summary>
    public bool Contains(ReadOnlySpan<double> x)
    {
        if (x.Length != Dimension)
            return false;
        for (var i = 0; i < x.Length; i++)
            if (!(x[i] >= Lower[i] && x[i] <= Upper[i]))
                return false;
        return true;
    }
}
