namespace EvoMerge.Plots;

/// <summary>Fitness of one generation: the best candidate, the population mean and spread.</summary>
/// <param name="Generation">Generation index (0-based or as the run log numbers it).</param>
/// <param name="Best">Best fitness in the generation (higher is better).</param>
/// <param name="Mean">Mean fitness of the population.</param>
/// <param name="StdDev">Population standard deviation of fitness (σ), drawn on a second axis.</param>
public sealed record FitnessPoint(int Generation, double Best, double Mean, double StdDev);
