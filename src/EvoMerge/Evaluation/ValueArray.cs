using System.Collections;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvoMerge.Evaluation;

/// <summary>
/// An immutable array with value equality, so records holding lists (task items, per-item results)
/// compare and hash by content rather than by reference.
/// </summary>
[JsonConverter(typeof(ValueArrayJsonConverterFactory))]
public sealed class ValueArray<T> : IReadOnlyList<T>, IEquatable<ValueArray<T>>
{
    readonly T[] items;

    /// <summary>Copies <paramref name="items"/> (later changes to the source do not leak in).</summary>
    public ValueArray(IEnumerable<T> items) => this.items = items.ToArray();

    /// <summary>The empty array.</summary>
    public static ValueArray<T> Empty { get; } = new([]);

    /// <inheritdoc />
    public T this[int index] => items[index];

    /// <inheritdoc />
    public int Count => items.Length;

    /// <inheritdoc />
    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => items.GetEnumerator();

    /// <inheritdoc />
    public bool Equals(ValueArray<T>? other) =>
        other is not null && (ReferenceEquals(this, other) || items.SequenceEqual(other.items));

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ValueArray<T>);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in items)
            hash.Add(item);
        return hash.ToHashCode();
    }

    /// <summary>Shows the count and the first items (records print their members).</summary>
    public override string ToString() =>
        $"[{Count}: {string.Join(", ", items.Take(3))}{(Count > 3 ? ", ..." : "")}]";

    /// <summary>Wraps a collection.</summary>
    public static implicit operator ValueArray<T>(T[] items) => new(items);
}

/// <summary>Serializes <see cref="ValueArray{T}"/> as a plain JSON array (requests and results travel as JSON).</summary>
public sealed class ValueArrayJsonConverterFactory : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType
        && typeToConvert.GetGenericTypeDefinition() == typeof(ValueArray<>);

    /// <inheritdoc />
    public override JsonConverter CreateConverter(
        Type typeToConvert,
        JsonSerializerOptions options
    ) =>
        (JsonConverter)
            Activator.CreateInstance(
                typeof(ValueArrayJsonConverter<>).MakeGenericType(
                    typeToConvert.GetGenericArguments()[0]
                )
            )!;

    sealed class ValueArrayJsonConverter<T> : JsonConverter<ValueArray<T>>
    {
        public override ValueArray<T> Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        ) => new(JsonSerializer.Deserialize<T[]>(ref reader, options) ?? []);

        public override void Write(
            Utf8JsonWriter writer,
            ValueArray<T> value,
            JsonSerializerOptions options
        ) => JsonSerializer.Serialize(writer, value.ToArray(), options);
    }
}
