namespace EvoMerge.Checkpoints.Config;

/// <summary>
/// Rotary position embedding parameters, from <c>rope_parameters</c> (transformers 5.x) or
/// <c>rope_theta</c> + <c>rope_scaling</c> (4.x). Only the types whose attention scaling is 1 are supported.
/// </summary>
/// <param name="Type">"default", "linear" or "llama3".</param>
/// <param name="Theta">The base of the inverse frequencies (rope_theta).</param>
/// <param name="Factor">linear / llama3: the context extension factor.</param>
/// <param name="LowFreqFactor">llama3 only.</param>
/// <param name="HighFreqFactor">llama3 only.</param>
/// <param name="OriginalMaxPositionEmbeddings">llama3 only: the pre-extension context length.</param>
public sealed record RopeSettings(
    string Type,
    double Theta,
    double Factor = 1.0,
    double LowFreqFactor = 1.0,
    double HighFreqFactor = 4.0,
    int OriginalMaxPositionEmbeddings = 8192
)
{
    /// <summary>The RoPE types this decoder implements.</summary>
    public static readonly IReadOnlyList<string> SupportedTypes = ["default", "linear", "llama3"];
}
