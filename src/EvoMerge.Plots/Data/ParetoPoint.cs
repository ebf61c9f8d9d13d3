namespace EvoMerge.Plots;

/// <summary>One candidate of a multi-objective run, its objective values and whether it is on the front.</summary>
/// <param name="Objectives">Objective values (higher is better), in the order of <see cref="ParetoSet.ObjectiveNames"/>.</param>
/// <param name="OnFront">True for a non-dominated candidate (rank 0).</param>
/// <param name="Label">Optional hover label, e.g. the candidate id.</param>
public sealed record ParetoPoint(ValueArray<double> Objectives, bool OnFront, string? Label = null);

/// <summary>A population with named objectives; the chart plots two of them.</summary>
/// <param name="ObjectiveNames">Names of the objectives, e.g. ["ja-math accuracy", "en-math accuracy"].</param>
/// <param name="Points">The candidates.</param>
public sealed record ParetoSet(ValueArray<string> ObjectiveNames, ValueArray<ParetoPoint> Points);
