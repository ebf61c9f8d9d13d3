using System.Collections;
using System.Reflection;
using System.Runtime.CompilerServices;
using EvoMerge.Common;
using Xunit;

namespace EvoMerge.Tests.Common;

/// <summary>
/// Every public record in the libraries compares by value: a record's generated Equals compares an
/// array, a List or a Dictionary by reference, so two equal checkpoints or log lines would differ
/// (caching, snapshots and resume checks misbehave). Collections go through ValueArray / ValueMap.
/// </summary>
public class RecordValueEqualityTests
{
    static readonly Assembly[] Libraries =
    [
        typeof(ValueArray<>).Assembly, // EvoMerge
        typeof(EvoMerge.Plots.NotebookCharts).Assembly, // EvoMerge.Plots
        typeof(EvoMerge.Cluster.WorkerHost).Assembly, // EvoMerge.Cluster
    ];

    [Fact]
    public void No_public_record_holds_an_array_or_a_reference_equal_collection()
    {
        var records = Libraries
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsPublic || t.IsNestedPublic)
            .Where(IsRecord)
            .ToArray();
        Assert.True(
            records.Length > 50,
            $"found only {records.Length} records; is the scan broken?"
        );
        var offenders = Offenders(records);
        Assert.True(
            offenders.Length == 0,
            "Records whose Equals compares these by reference (wrap them in ValueArray or ValueMap):\n"
                + string.Join("\n", offenders)
        );
    }

    [Fact]
    public void The_scan_names_each_offending_property_and_passes_value_equal_ones()
    {
        Assert.True(IsRecord(typeof(Offending)));
        Assert.True(IsRecord(typeof(OffendingStruct)));
        Assert.False(IsRecord(typeof(NotARecord)));
        Assert.Equal(
            [
                "Offending.Array",
                "Offending.Dictionary",
                "Offending.Enumerable",
                "Offending.InTuple",
                "Offending.List",
                "Offending.Nested",
                "Offending.ReadOnlyDictionary",
                "Offending.ReadOnlyList",
                "Offending.hidden",
                "OffendingStruct.Values",
            ],
            Offenders([typeof(Offending), typeof(OffendingStruct), typeof(Clean)])
                .Select(name => name.Replace(typeof(RecordValueEqualityTests).FullName + "+", ""))
        );
    }

    /// <summary>A record class has a compiler-generated EqualityContract; a record struct a generated PrintMembers.</summary>
    static bool IsRecord(Type type)
    {
        const BindingFlags Any =
            BindingFlags.Instance
            | BindingFlags.Public
            | BindingFlags.NonPublic
            | BindingFlags.DeclaredOnly;
        if (type.IsValueType)
            return type.GetMethod("PrintMembers", Any) is { } m
                && m.IsDefined(typeof(CompilerGeneratedAttribute));
        return type.GetProperty("EqualityContract", Any) is { } p
            && p.GetMethod!.IsDefined(typeof(CompilerGeneratedAttribute));
    }

    /// <summary>
    /// The members a record's generated Equals compares: its instance fields, named by their property
    /// where the field backs one (a computed property takes no part in equality and is not listed).
    /// </summary>
    static string[] Offenders(IEnumerable<Type> records) =>
        records
            .SelectMany(t =>
                t.GetFields(
                        BindingFlags.Instance
                            | BindingFlags.Public
                            | BindingFlags.NonPublic
                            | BindingFlags.DeclaredOnly
                    )
                    .Where(f => !ValueEqual(f.FieldType))
                    .Select(f => $"{t.FullName}.{MemberName(f)}")
            )
            .Order(StringComparer.Ordinal)
            .ToArray();

    static string MemberName(FieldInfo field) =>
        field.Name is ['<', .. var rest] && rest.IndexOf('>') is var end and > 0
            ? rest[..end]
            : field.Name;

    /// <summary>
    /// False for arrays and collections other than the value-equal wrappers, looking inside generic
    /// arguments (a ValueArray of arrays, a tuple holding a list) too.
    /// </summary>
    static bool ValueEqual(Type type)
    {
        if (type.IsArray)
            return false;
        if (type == typeof(string))
            return true;
        if (type.IsGenericType)
        {
            var definition = type.GetGenericTypeDefinition();
            var wrapper = definition == typeof(ValueArray<>) || definition == typeof(ValueMap<,>);
            if (!wrapper && typeof(IEnumerable).IsAssignableFrom(type))
                return false;
            return type.GetGenericArguments().All(ValueEqual);
        }
        return !typeof(IEnumerable).IsAssignableFrom(type);
    }

    public sealed record Offending(
        int[] Array,
        List<int> List,
        IReadOnlyList<int> ReadOnlyList,
        Dictionary<string, int> Dictionary,
        IReadOnlyDictionary<string, int> ReadOnlyDictionary,
        IEnumerable<int> Enumerable,
        ValueArray<double[]> Nested,
        (string, List<int>)? InTuple,
        string Text,
        int Number
    )
    {
        // A private field takes part in Equals as much as a property does.
        readonly List<int> hidden = [];

        // Computed: not part of Equals, so not listed.
        public int[] Copy => [.. Array, .. hidden];
    }

    public readonly record struct OffendingStruct(double[] Values, int Count);

    public sealed record Clean(
        ValueArray<int> Values,
        ValueMap<string, ValueArray<double>> Map,
        (string, ValueArray<int>)? InTuple,
        string Text
    );

    public sealed class NotARecord
    {
        public int[] Values { get; init; } = [];
    }
}
