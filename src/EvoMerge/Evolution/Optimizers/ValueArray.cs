using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// An immutable array with value equality, so optimizer records compare, hash and snapshot by
/// content. Serializes as a plain JSON array.
/// </summary>
[JsonConverter(typeof(ValueArrayJsonConverterFactory))]
public sealed class ValueArray<T> : IReadOnlyList<T>, IEquatable<ValueArray<T>>
    where T : IEquatable<T>
{
    readonly T[] items;

    /// <summary>Copies <paramref name="items"/>.</summary>
    public ValueArray(IEnumerable<T> items) => this.items = items.ToArray();

    ValueArray(T[] owned, bool _) => items = owned;

    /// <summary>The empty array.</summary>
    public static ValueArray<T> Empty { get; } = new([], true);

    /// <summary>Takes ownership of <paramref name="owned"/> without copying (callers must not keep it).</summary>
    internal static ValueArray<T> Own(T[] owned) => new(owned, true);

    /// <inheritdoc/>
    public int Count => items.Length;

    /// <inheritdoc/>
    public T this[int index] => items[index];

    /// <summary>A read-only view of the items.</summary>
    public ReadOnlySpan<T> AsSpan() => items;

    /// <summary>A fresh mutable copy.</summary>
    public T[] ToArray() => (T[])items.Clone();

    /// <inheritdoc/>
    public bool Equals(ValueArray<T>? other)
    {
        if (other is null || other.items.Length != items.Length)
            return false;
        for (var i = 0; i < items.Length; i++)
            if (!EqualityComparer<T>.Default.Equals(items[i], other.items[i]))
                return false;
        return true;
    }

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as ValueArray<T>);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in items)
            hash.Add(item);
        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    /// <inheritdoc/>
    public override string ToString() => $"[{string.Join(", ", items)}]";
}

/// <summary>Factories for <see cref="ValueArray{T}"/>.</summary>
public static class ValueArray
{
    /// <summary>Copies the items into a new value array.</summary>
    public static ValueArray<T> From<T>(IEnumerable<T> items)
        where T : IEquatable<T> => new(items);

    /// <summary>Copies rows of numbers into a value array of value arrays.</summary>
    public static ValueArray<ValueArray<double>> Rows(IEnumerable<IEnumerable<double>> rows) =>
        ValueArray<ValueArray<double>>.Own(rows.Select(r => new ValueArray<double>(r)).ToArray());
}

sealed class ValueArrayJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType
        && typeToConvert.GetGenericTypeDefinition() == typeof(ValueArray<>);

    public override JsonConverter CreateConverter(Type type, JsonSerializerOptions options) =>
        (JsonConverter)
            Activator.CreateInstance(
                typeof(ValueArrayJsonConverter<>).MakeGenericType(type.GetGenericArguments()[0])
            )!;
}

sealed class ValueArrayJsonConverter<T> : JsonConverter<ValueArray<T>>
    where T : IEquatable<T>
{
    public override ValueArray<T> Read(
        ref Utf8JsonReader reader,
        Type typeToConvert,
        JsonSerializerOptions options
    ) =>
        ValueArray<T>.Own(
            JsonSerializer.Deserialize<T[]>(ref reader, options)
                ?? throw new JsonException($"Expected an array of {typeof(T).Name}, found null.")
        );

    public override void Write(
        Utf8JsonWriter writer,
        ValueArray<T> value,
        JsonSerializerOptions options
    )
    {
        writer.WriteStartArray();
        foreach (var item in value)
            JsonSerializer.Serialize(writer, item, options);
        writer.WriteEndArray();
    }
}
