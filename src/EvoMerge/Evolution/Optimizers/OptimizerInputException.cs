namespace EvoMerge.Evolution.Optimizers;

/// <summary>
/// Thrown when Ask/Tell receive input they cannot use (wrong counts or lengths, NaN or infinite
/// values, candidates from another generation or state). The optimizer states are immutable, so the
/// state passed in is untouched and can be used again.
/// </summary>
public sealed class OptimizerInputException(string message) : ArgumentException(message);
