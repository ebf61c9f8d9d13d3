namespace EvoMerge.Plots;

/// <summary>One gene (parameter) of a PS genome over generations, e.g. the best or mean value.</summary>
/// <param name="Name">Readable gene name, e.g. "model_b.layers[0-7].density".</param>
/// <param name="Values">Value per generation, aligned with <see cref="ParameterTrajectories.Generations"/>.</param>
public sealed record GeneTrajectory(string Name, ValueArray<double> Values);

/// <summary>Trajectories of several genes over the same generations.</summary>
/// <param name="Generations">The generation index of each column.</param>
/// <param name="Genes">One trajectory per gene, each as long as <paramref name="Generations"/>.</param>
public sealed record ParameterTrajectories(
    ValueArray<int> Generations,
    ValueArray<GeneTrajectory> Genes
);
