using System.Text.Json;
using System.Text.Json.Serialization;

namespace EvoMerge.Common;

/// <summary>
/// JSON for the value-equal collections: a <see cref="ValueArray{T}"/> as a JSON array, a
/// <see cref="ValueMap{TKey, TValue}"/> as a JSON object, each exactly as the array or dictionary it
/// replaces, so wrapping a record's collection leaves its files unchanged.
/// </summary>
internal sealed class ValueCollectionJsonConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) =>
        typeToConvert.IsGenericType
        && typeToConvert.GetGenericTypeDefinition() is var definition
        && (definition == typeof(ValueArray<>) || definition == typeof(ValueMap<,>));

    public override JsonConverter CreateConverter(
        Type typeToConvert,
        JsonSerializerOptions options
    ) =>
        (JsonConverter)
            Activator.CreateInstance(
                (
                    typeToConvert.GetGenericTypeDefinition() == typeof(ValueArray<>)
                        ? typeof(ArrayConverter<>)
                        : typeof(MapConverter<,>)
                ).MakeGenericType(typeToConvert.GetGenericArguments())
            )!;

    sealed class ArrayConverter<T> : JsonConverter<ValueArray<T>>
    {
        public override ValueArray<T> Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        ) => new(JsonSerializer.Deserialize<T[]>(ref reader, options) ?? Array.Empty<T>());

        public override void Write(
            Utf8JsonWriter writer,
            ValueArray<T> value,
            JsonSerializerOptions options
        ) => JsonSerializer.Serialize(writer, value.ToArray(), options);
    }

    // Through Dictionary<TKey, TValue> both ways, so the JSON is the dictionary's to the byte.
    sealed class MapConverter<TKey, TValue> : JsonConverter<ValueMap<TKey, TValue>>
        where TKey : notnull
    {
        public override ValueMap<TKey, TValue> Read(
            ref Utf8JsonReader reader,
            Type typeToConvert,
            JsonSerializerOptions options
        ) =>
            JsonSerializer.Deserialize<Dictionary<TKey, TValue>>(ref reader, options) is { } d
                ? new(d)
                : ValueMap<TKey, TValue>.Empty;

        public override void Write(
            Utf8JsonWriter writer,
            ValueMap<TKey, TValue> value,
            JsonSerializerOptions options
        ) => JsonSerializer.Serialize(writer, value.Items, options);
    }
}
