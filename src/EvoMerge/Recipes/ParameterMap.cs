using EvoMerge.Common;

namespace EvoMerge.Recipes;

/// <summary>One named parameter of a recipe, a model entry or a slice.</summary>
public sealed record NamedParameter(string Name, ParameterValue Value);

/// <summary>Named parameters in the order they were written (value equality, so recipes compare by content).</summary>
public sealed record ParameterMap(ValueArray<NamedParameter> Entries)
{
    /// <summary>No parameters.</summary>
    public static readonly ParameterMap Empty = new(ValueArray<NamedParameter>.Empty);

    /// <summary>Builds a map from (name, value) pairs.</summary>
    public static ParameterMap Of(params (string Name, ParameterValue Value)[] entries) =>
        new(entries.Select(e => new NamedParameter(e.Name, e.Value)).ToValueArray());

    /// <summary>The raw (unevaluated) value of a parameter, or null.</summary>
    public ParameterValue? this[string name] => Entries.FirstOrDefault(e => e.Name == name)?.Value;

    /// <summary>True when no parameter is set.</summary>
    public bool IsEmpty => Entries.Count == 0;

    /// <summary>A copy with <paramref name="name"/> set (replacing any earlier value in place).</summary>
    public ParameterMap With(string name, ParameterValue value)
    {
        var list = Entries.ToList();
        int at = list.FindIndex(e => e.Name == name);
        if (at >= 0)
            list[at] = new NamedParameter(name, value);
        else
            list.Add(new NamedParameter(name, value));
        return new ParameterMap(list.ToValueArray());
    }
}
