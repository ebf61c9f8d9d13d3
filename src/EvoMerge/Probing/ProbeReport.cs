using EvoMerge.Common;

namespace EvoMerge.Probing;

/// <summary>
/// Task-vector geometry of one layer (or of the embeddings and norms outside the layers):
/// ‖τ_i‖ / ‖base‖ per source and the cosine between every pair of sources' τ.
/// </summary>
/// <param name="Group">"layer N", "other" (embeddings, final norm, head) or "all".</param>
/// <param name="NormRatios">‖τ_i‖ / ‖base‖ per source, in source order.</param>
/// <param name="Cosines">cos(τ_i, τ_j) for every pair i &lt; j, in <see cref="ProbeReport.Pairs"/> order.</param>
public sealed record TaskVectorLayer(
    string Group,
    ValueArray<double> NormRatios,
    ValueArray<double> Cosines
);

/// <summary>One probe measurement: a model (a source, a scaled task vector, a merge) on one task.</summary>
/// <param name="Entry">What was scored (<c>math-a λ=0.5</c>, <c>TIES(math-a, math-b)</c> …).</param>
/// <param name="Kind">scale | dare | pair | target.</param>
/// <param name="Task">The task's name; for held-in tasks, whose (<c>math-a held-in</c>).</param>
/// <param name="Accuracy">The task's metric.</param>
/// <param name="Correct">Items whose number was right, in any language.</param>
/// <param name="Items">Items scored.</param>
/// <param name="Retention">For pair merges: accuracy / the member's own accuracy on its held-in task.</param>
public sealed record ProbeScore(
    string Entry,
    string Kind,
    string Task,
    double Accuracy,
    int Correct,
    int Items,
    double? Retention = null
);

/// <summary>
/// The mergeability report of a set of checkpoints with a shared base (<c>evomerge probe</c>):
/// task-vector geometry per layer and the behaviour of scaled task vectors, DARE at 90 % drop, the
/// untuned merge of every pair on each member's held-in task, and the untuned merges on the target.
/// </summary>
public sealed record ProbeReport(
    string BaseModel,
    ValueArray<string> Sources,
    ValueArray<string> Pairs,
    ValueArray<TaskVectorLayer> Layers,
    ValueArray<ProbeScore> Scores,
    double Seconds
);
