using System.Text.Json;
using EvoMerge.Evolution.Candidates;

namespace EvoMerge.Cluster;

/// <summary>
/// What travels between the optimizer and the workers: JSON text (doubles round-trip exactly), so
/// the library's records need no Orleans serializers.
/// </summary>
static class Wire
{
    /// <summary>A worker's answer: a result, or the error that scoring raised there (not retried elsewhere).</summary>
    internal sealed record Reply(CandidateResult? Result, string? Error);

    public static string Request(CandidateRequest request) => JsonSerializer.Serialize(request);

    public static CandidateRequest ReadRequest(string json) =>
        JsonSerializer.Deserialize<CandidateRequest>(json)
        ?? throw new ArgumentException("empty candidate request");

    public static string Ok(CandidateResult result) =>
        JsonSerializer.Serialize(new Reply(result, null));

    public static string Failed(string error) => JsonSerializer.Serialize(new Reply(null, error));

    public static Reply ReadReply(string json) =>
        JsonSerializer.Deserialize<Reply>(json) ?? throw new ArgumentException("empty reply");
}
