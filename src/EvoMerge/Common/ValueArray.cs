using System.Collections;
using System.Text.Json.Serialization;

namespace EvoMerge.Common;

/// <summary>
/// An immutable array with value equality, so records holding arrays compare, hash and snapshot by
/// content (a plain array in a record compares by reference). Serializes as a JSON array.
/// </summary>
[JsonConverter(typeof(ValueCollectionJsonConverterFactory))]
public sealed class ValueArray<T> : IReadOnlyList<T>, IEquatable<ValueArray<T>>
{
    readonly T[] _items;

    /// <summary>An empty array.</summary>
    public static readonly ValueArray<T> Empty = new(Array.Empty<T>());

    /// <summary>Copies <paramref name="items"/>.</summary>
    public ValueArray(IEnumerable<T> items) => _items = items.ToArray();

    ValueArray(T[] owned, bool _) => _items = owned;

    /// <summary>Wraps an array the caller gives up (no copy): hot paths such as CMA-ES sampling.</summary>
    internal static ValueArray<T> Own(T[] owned) => new(owned, true);

    public T this[int index] => _items[index];

    public int Count => _items.Length;

    /// <summary>A read-only view of the items.</summary>
    public ReadOnlySpan<T> AsSpan() => _items;

    /// <summary>A fresh mutable copy.</summary>
    public T[] ToArray() => (T[])_items.Clone();

    public bool Equals(ValueArray<T>? other) =>
        other is not null
        && (
            ReferenceEquals(this, other)
            || _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default)
        );

    public override bool Equals(object? obj) => obj is ValueArray<T> other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items)
            hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public static implicit operator ValueArray<T>(T[] items) => new(items);

    public static bool operator ==(ValueArray<T>? a, ValueArray<T>? b) =>
        a is null ? b is null : a.Equals(b);

    public static bool operator !=(ValueArray<T>? a, ValueArray<T>? b) => !(a == b);
}

/// <summary>Factory helpers for <see cref="ValueArray{T}"/>.</summary>
public static class ValueArray
{
    public static ValueArray<T> Of<T>(params T[] items) => new(items);

    public static ValueArray<T> ToValueArray<T>(this IEnumerable<T> items) => new(items);

    public static ValueArray<T> From<T>(IEnumerable<T> items) => new(items);

    /// <summary>A matrix as rows.</summary>
    public static ValueArray<ValueArray<double>> Rows(IEnumerable<IEnumerable<double>> rows) =>
        new(rows.Select(r => new ValueArray<double>(r)));
}
