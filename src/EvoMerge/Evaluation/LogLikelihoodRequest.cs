namespace EvoMerge.Evaluation;

/// <summary>Score <paramref name="Continuation"/> after <paramref name="Context"/>.</summary>
public sealed record LogLikelihoodRequest(string Context, string Continuation);
