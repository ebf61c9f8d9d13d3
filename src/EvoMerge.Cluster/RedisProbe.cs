using StackExchange.Redis;

namespace EvoMerge.Cluster;

/// <summary>Fails fast, in one line, when Redis is not there (Orleans would retry for minutes).</summary>
static class RedisProbe
{
    public static ConfigurationOptions Options(ClusterAddress address)
    {
        var options = ConfigurationOptions.Parse(address.RedisEndpoint);
        options.ConnectTimeout = 3000;
        options.SyncTimeout = 5000;
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        return options;
    }

    public static async Task EnsureReachable(ClusterAddress address)
    {
        if (address.IsLocalhost)
            return;
        try
        {
            using var connection = await ConnectionMultiplexer.ConnectAsync(Options(address));
            await connection.GetDatabase().PingAsync();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            throw new ClusterException(
                $"cannot reach Redis at {address.RedisEndpoint} ({FirstSentence(e.Message)}): is redis-server running there?",
                e
            );
        }
    }

    static string FirstSentence(string text) => FirstLine(text.Split(". ", 2)[0]);

    internal static string FirstLine(string text) =>
        text.Split('\n', 2)[0].Trim().TrimEnd('.', ';');
}
