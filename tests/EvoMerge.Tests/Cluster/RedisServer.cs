using System.Net;
using System.Net.Sockets;

namespace EvoMerge.Tests.Cluster;

/// <summary>A real redis-server (Debian's package; .ci/run installs it) on a free loopback port, in memory only.</summary>
sealed class RedisServer : IDisposable
{
    readonly ChildProcess _process;

    public RedisServer()
    {
        var binary =
            new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" }.FirstOrDefault(
                File.Exists
            )
            ?? throw new InvalidOperationException(
                "redis-server not found: apt-get install -y redis-server (.ci/run does)"
            );
        Port = FreePort();
        _process = new ChildProcess(
            binary,
            ["--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        );
        _process.WaitFor("Ready to accept connections", TimeSpan.FromSeconds(20));
    }

    public int Port { get; }

    public string Address => $"redis://127.0.0.1:{Port}";

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose() => _process.Dispose();
}
