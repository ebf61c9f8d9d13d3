using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;

namespace EvoMerge.Cluster;

/// <summary>The optimizer's connection to the workers (an Orleans client).</summary>
public sealed class ClusterConnection : IDisposable
{
    readonly IHost _host;

    ClusterConnection(IHost host, ClusterAddress address)
    {
        _host = host;
        Address = address;
        Client = host.Services.GetRequiredService<IClusterClient>();
    }

    public ClusterAddress Address { get; }

    public IClusterClient Client { get; }

    /// <summary>
    /// Connects, waiting up to <paramref name="wait"/> for a first worker (a gateway); no Redis, a
    /// wrong address or no worker in time is a <see cref="ClusterException"/>, never a hang.
    /// </summary>
    public static async Task<ClusterConnection> Connect(
        ClusterAddress address,
        string clusterId,
        TimeSpan wait,
        bool verbose = false
    )
    {
        await RedisProbe.EnsureReachable(address);
        var deadline = DateTime.UtcNow + wait;
        // localhost: only the gateways that answer now (a static list with dead ports slows every call).
        var gateways = address.IsLocalhost ? await LocalGateways(deadline) : [];
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
        builder.Logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Critical);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => ClusterSettings.Cluster(o, clusterId));
            client.Configure<ClientMessagingOptions>(o =>
                o.ResponseTimeout = TimeSpan.FromHours(2)
            );
            client.Configure<GatewayOptions>(o =>
                o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(2)
            );
            client.UseConnectionRetryFilter(
                async (_, token) =>
                {
                    if (DateTime.UtcNow >= deadline)
                        return false;
                    await Task.Delay(500, token);
                    return true;
                }
            );
            if (address.IsLocalhost)
                client.UseStaticClustering(gateways);
            else
                client.UseRedisClustering(o =>
                    o.ConfigurationOptions = RedisProbe.Options(address)
                );
        });
        var host = builder.Build();
        try
        {
            using var starting = new CancellationTokenSource(wait + TimeSpan.FromSeconds(10));
            await host.StartAsync(starting.Token);
            return new ClusterConnection(host, address);
        }
        catch (Exception e)
        {
            host.Dispose();
            throw e is ClusterException
                ? e
                : new ClusterException(
                    $"no worker reachable in cluster '{clusterId}' at {address} within {wait.TotalSeconds:F0} s ({RedisProbe.FirstLine(e.Message)}); start one with: evomerge worker --cluster {address}",
                    e
                );
        }
    }

    static async Task<IPEndPoint[]> LocalGateways(DateTime deadline)
    {
        while (true)
        {
            var open = new List<IPEndPoint>();
            for (int i = 0; i < ClusterAddress.LocalhostWorkers; i++)
            {
                var endpoint = new IPEndPoint(
                    IPAddress.Loopback,
                    ClusterAddress.LocalhostGatewayPort + i
                );
                using var probe = new System.Net.Sockets.TcpClient();
                using var timeout = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
                try
                {
                    await probe.ConnectAsync(endpoint, timeout.Token);
                    open.Add(endpoint);
                }
                catch (Exception e)
                    when (e is System.Net.Sockets.SocketException or OperationCanceledException) { }
            }
            if (open.Count > 0)
                return [.. open];
            if (DateTime.UtcNow >= deadline)
                throw new ClusterException(
                    $"no worker listening on localhost gateway ports {ClusterAddress.LocalhostGatewayPort}-{ClusterAddress.LocalhostGatewayPort + ClusterAddress.LocalhostWorkers - 1}; start one with: evomerge worker --cluster localhost"
                );
            await Task.Delay(500);
        }
    }

    /// <summary>The workers now active: their silo addresses (the keys of their grains).</summary>
    public async Task<IReadOnlyList<string>> Workers()
    {
        var hosts = await Client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return hosts.Keys.Select(s => s.ToParsableString()).Order(StringComparer.Ordinal).ToArray();
    }

    public void Dispose()
    {
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            _host.StopAsync(stopping.Token).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is OperationCanceledException or OrleansException) { }
        _host.Dispose();
    }
}
