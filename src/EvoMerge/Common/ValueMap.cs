using System.Collections;
using System.Text.Json.Serialization;

namespace EvoMerge.Common;

/// <summary>
/// An immutable dictionary with value equality (same keys, equal values, in any order), so records
/// holding maps compare and hash by content (a Dictionary in a record compares by reference). Keeps
/// the insertion order for enumeration and serializes exactly as a <see cref="Dictionary{TKey, TValue}"/>
/// with the same entries would (a JSON object, keys through the dictionary key policy).
/// </summary>
[JsonConverter(typeof(ValueCollectionJsonConverterFactory))]
public sealed class ValueMap<TKey, TValue>
    : IReadOnlyDictionary<TKey, TValue>,
        IEquatable<ValueMap<TKey, TValue>>
    where TKey : notnull
{
    readonly Dictionary<TKey, TValue> _items;

    /// <summary>An empty map.</summary>
    public static readonly ValueMap<TKey, TValue> Empty = new([]);

    /// <summary>Copies <paramref name="items"/> (a repeated key throws).</summary>
    public ValueMap(IEnumerable<KeyValuePair<TKey, TValue>> items) => _items = new(items);

    public TValue this[TKey key] => _items[key];

    public int Count => _items.Count;

    public IEnumerable<TKey> Keys => _items.Keys;

    public IEnumerable<TValue> Values => _items.Values;

    public bool ContainsKey(TKey key) => _items.ContainsKey(key);

    public bool TryGetValue(TKey key, out TValue value) => _items.TryGetValue(key, out value!);

    /// <summary>The entries themselves, for the JSON converter (never handed out).</summary>
    internal Dictionary<TKey, TValue> Items => _items;

    /// <summary>A fresh mutable copy, in the same order.</summary>
    public Dictionary<TKey, TValue> ToDictionary() => new(_items);

    public bool Equals(ValueMap<TKey, TValue>? other)
    {
        if (other is null || other.Count != Count)
            return false;
        if (ReferenceEquals(this, other))
            return true;
        var values = EqualityComparer<TValue>.Default;
        foreach (var (key, value) in _items)
            if (!other._items.TryGetValue(key, out var theirs) || !values.Equals(value, theirs))
                return false;
        return true;
    }

    public override bool Equals(object? obj) =>
        obj is ValueMap<TKey, TValue> other && Equals(other);

    /// <summary>Independent of order: a sum of the entries' hashes.</summary>
    public override int GetHashCode()
    {
        var sum = 0;
        foreach (var (key, value) in _items)
            sum += HashCode.Combine(key, value);
        return HashCode.Combine(Count, sum);
    }

    public override string ToString() =>
        "{" + string.Join(", ", _items.Select(p => $"{p.Key}: {p.Value}")) + "}";

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public static implicit operator ValueMap<TKey, TValue>(Dictionary<TKey, TValue> items) =>
        new(items);

    public static bool operator ==(ValueMap<TKey, TValue>? a, ValueMap<TKey, TValue>? b) =>
        a is null ? b is null : a.Equals(b);

    public static bool operator !=(ValueMap<TKey, TValue>? a, ValueMap<TKey, TValue>? b) =>
        !(a == b);
}

/// <summary>Factory helpers for <see cref="ValueMap{TKey, TValue}"/>.</summary>
public static class ValueMap
{
    public static ValueMap<TKey, TValue> ToValueMap<TKey, TValue>(
        this IEnumerable<KeyValuePair<TKey, TValue>> items
    )
        where TKey : notnull => new(items);

    public static ValueMap<TKey, TValue> ToValueMap<T, TKey, TValue>(
        this IEnumerable<T> items,
        Func<T, TKey> key,
        Func<T, TValue> value
    )
        where TKey : notnull => new(items.Select(i => KeyValuePair.Create(key(i), value(i))));
}
