using System.Text.Json.Serialization;

namespace EvoMerge.Evaluation;

/// <summary>How one generated answer is scored (a closed set of cases; JSON carries the case as "kind").</summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(NumberExactMatch), "exact-match")]
[JsonDerivedType(typeof(NumberExactMatchInJapanese), "ja-exact-match")]
[JsonDerivedType(typeof(RougeLF), "rouge-l")]
public abstract record TaskMetric
{
    TaskMetric() { }

    /// <summary>The name used in configs and logs.</summary>
    [JsonIgnore]
    public abstract string Name { get; }

    /// <summary>1 when the last number of the answer equals the gold number, else 0.</summary>
    public sealed record NumberExactMatch : TaskMetric
    {
        /// <inheritdoc />
        public override string Name => "exact-match";
    }

    /// <summary>
    /// The paper's MGSM-JA score: 1 when the last number is right <em>and</em> the answer is Japanese
    /// (<see cref="JapaneseScript.Share"/> above <paramref name="Threshold"/>), else 0.
    /// </summary>
    public sealed record NumberExactMatchInJapanese(
        double Threshold = JapaneseScript.DefaultThreshold
    ) : TaskMetric
    {
        /// <inheritdoc />
        public override string Name => "ja-exact-match";
    }

    /// <summary>ROUGE-L F of the answer against the whole reference answer.</summary>
    public sealed record RougeLF : TaskMetric
    {
        /// <inheritdoc />
        public override string Name => "rouge-l";
    }

    /// <summary>Reads a metric name (<c>exact-match</c>, <c>ja-exact-match</c>, <c>rouge-l</c>).</summary>
    public static TaskMetric Parse(string name) =>
        name.Trim().ToLowerInvariant() switch
        {
            "exact-match" => new NumberExactMatch(),
            "ja-exact-match" => new NumberExactMatchInJapanese(),
            "rouge-l" => new RougeLF(),
            _ => throw new ArgumentException(
                $"Unknown metric \"{name}\"; expected exact-match, ja-exact-match or rouge-l.",
                nameof(name)
            ),
        };
}
