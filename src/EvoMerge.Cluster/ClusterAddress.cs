using System.Net;

namespace EvoMerge.Cluster;

/// <summary>A cluster setting is wrong or the cluster cannot be reached; the message is one line.</summary>
public sealed class ClusterException(string message, Exception? inner = null)
    : Exception(message, inner);

/// <summary>
/// Where the workers meet: <c>localhost</c> (Orleans development clustering on this machine: worker
/// <c>i</c> listens on silo port 11111 + i and gateway port 30000 + i, worker 0 is the primary) or
/// <c>redis://host:port</c> (membership in a real Redis, for several machines).
/// </summary>
public sealed record ClusterAddress(string? RedisHost, int RedisPort)
{
    /// <summary>Gateway ports a localhost client tries (workers 0 … 7).</summary>
    public const int LocalhostWorkers = 8;

    public const int LocalhostSiloPort = 11111;
    public const int LocalhostGatewayPort = 30000;

    public bool IsLocalhost => RedisHost is null;

    /// <summary>host:port as StackExchange.Redis takes it.</summary>
    public string RedisEndpoint => $"{RedisHost}:{RedisPort}";

    public static ClusterAddress Parse(string text)
    {
        if (text == "localhost")
            return new ClusterAddress(null, 0);
        if (
            Uri.TryCreate(text, UriKind.Absolute, out var uri)
            && uri.Scheme == "redis"
            && uri.Host.Length > 0
            && (uri.AbsolutePath is "" or "/")
        )
            return new ClusterAddress(
                uri.Host,
                uri.IsDefaultPort || uri.Port < 0 ? 6379 : uri.Port
            );
        throw new ClusterException(
            $"--cluster: expected 'localhost' or 'redis://host:port', got '{text}'"
        );
    }

    /// <summary>Whether the Redis host is this machine (then workers advertise 127.0.0.1).</summary>
    public bool IsLoopback =>
        IsLocalhost
        || RedisHost is "localhost"
        || (IPAddress.TryParse(RedisHost, out var ip) && IPAddress.IsLoopback(ip));

    public override string ToString() =>
        IsLocalhost ? "localhost" : $"redis://{RedisHost}:{RedisPort}";
}
