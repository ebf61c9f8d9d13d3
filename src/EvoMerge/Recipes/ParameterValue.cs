using System.Globalization;
using EvoMerge.Common;

namespace EvoMerge.Recipes;

/// <summary>
/// A mergekit parameter value: a scalar (number, flag or text), a gradient (numbers interpolated
/// linearly across the layers of a slice) or a filter list (the first rule whose filter is a
/// substring of the tensor name wins; a rule without a filter matches every tensor).
/// </summary>
public abstract record ParameterValue
{
    /// <summary>The value for one tensor at relative layer position <paramref name="t"/> in [0, 1] (mergekit's evaluate_setting).</summary>
    public abstract ParameterValue? Evaluate(string tensorName, double t);

    /// <summary>A number.</summary>
    public static ParameterValue Of(double value) => new NumberValue(value);

    /// <summary>A flag.</summary>
    public static ParameterValue Of(bool value) => new FlagValue(value);

    /// <summary>A gradient over a slice's layers.</summary>
    public static ParameterValue Gradient(params double[] values) =>
        new GradientValue(values.ToValueArray());
}

/// <summary>A number (weight, density, t, lambda, ...).</summary>
public sealed record NumberValue(double Value) : ParameterValue
{
    /// <inheritdoc/>
    public override ParameterValue Evaluate(string tensorName, double t) => this;

    /// <inheritdoc/>
    public override string ToString() => Value.ToString("R", CultureInfo.InvariantCulture);
}

/// <summary>A flag (normalize, rescale, int8_mask, ...).</summary>
public sealed record FlagValue(bool Value) : ParameterValue
{
    /// <inheritdoc/>
    public override ParameterValue Evaluate(string tensorName, double t) => this;

    /// <inheritdoc/>
    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A word (rescale_mode: l1, ...).</summary>
public sealed record TextValue(string Value) : ParameterValue
{
    /// <inheritdoc/>
    public override ParameterValue Evaluate(string tensorName, double t) => this;

    /// <inheritdoc/>
    public override string ToString() => Value;
}

/// <summary>Numbers spread evenly over a slice's layers; a layer between two anchors gets the linear blend.</summary>
public sealed record GradientValue(ValueArray<double> Anchors) : ParameterValue
{
    /// <inheritdoc/>
    public override ParameterValue Evaluate(string tensorName, double t)
    {
        if (Anchors.Count == 1)
            return new NumberValue(Anchors[0]);
        double scaled = Math.Clamp(t, 0, 1) * (Anchors.Count - 1);
        int i0 = (int)Math.Floor(scaled);
        int i1 = Math.Min(Anchors.Count - 1, i0 + 1);
        double frac = scaled - i0;
        return new NumberValue((1 - frac) * Anchors[i0] + frac * Anchors[i1]);
    }
}

/// <summary>One rule of a filter list: tensors whose name contains <paramref name="Filter"/> get <paramref name="Value"/>.</summary>
public sealed record FilterRule(string? Filter, ParameterValue Value);

/// <summary>Rules tried in order; the first matching one gives the value; no match gives no value.</summary>
public sealed record FilterListValue(ValueArray<FilterRule> Rules) : ParameterValue
{
    /// <inheritdoc/>
    public override ParameterValue? Evaluate(string tensorName, double t)
    {
        foreach (var rule in Rules)
            // mergekit: no filter and "*" both match every tensor.
            if (
                rule.Filter is null or "*"
                || tensorName.Contains(rule.Filter, StringComparison.Ordinal)
            )
                return rule.Value.Evaluate(tensorName, t);
        return null;
    }
}
