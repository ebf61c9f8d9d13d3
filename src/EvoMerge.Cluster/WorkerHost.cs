using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using static TorchSharp.torch;

namespace EvoMerge.Cluster;

/// <summary>How a worker joins.</summary>
/// <param name="Address">localhost or redis://host:port.</param>
/// <param name="Device">The device its models live on.</param>
/// <param name="ClusterId">Workers and optimizer of one cluster share it.</param>
/// <param name="Index">localhost only: worker i listens on 11111 + i / 30000 + i (0 is the primary).</param>
/// <param name="Advertise">The IP other machines reach this worker at (default: loopback when Redis is local, else this machine's first IPv4).</param>
/// <param name="Verbose">Orleans' own log at Information level.</param>
/// <param name="Threads">libtorch CPU threads of the evaluating thread.</param>
public sealed record WorkerOptions(
    ClusterAddress Address,
    Device Device,
    string ClusterId = "evomerge",
    int Index = 0,
    string? Advertise = null,
    bool Verbose = false,
    int? Threads = null
);

/// <summary>Hosts one worker silo until cancelled.</summary>
public static class WorkerHost
{
    /// <summary>Starts the silo (bounded: a bad cluster is a <see cref="ClusterException"/> within about 30 s), then runs until <paramref name="stop"/>.</summary>
    public static async Task Run(WorkerOptions options, Action<string> log, CancellationToken stop)
    {
        await RedisProbe.EnsureReachable(options.Address);
        var name = $"{Dns.GetHostName()}:{Environment.ProcessId}/{options.Device}";
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => c.SingleLine = true);
        // Orleans logs every failed probe of a dead peer with a stack trace: quiet unless asked.
        builder.Logging.SetMinimumLevel(options.Verbose ? LogLevel.Information : LogLevel.Critical);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddSingleton(
            new WorkerSettings(name, options.Device, log, options.Threads)
        );
        builder.Services.AddSingleton<ResidentEvaluator>();
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => ClusterSettings.Cluster(o, options.ClusterId));
            silo.Configure<ClusterMembershipOptions>(ClusterSettings.Membership);
            silo.Services.AddPlacementDirector<WorkerPlacement, WorkerPlacementDirector>();
            // A candidate can take minutes on a real model: no response timeout inside the cluster.
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = TimeSpan.FromHours(2));
            if (options.Address.IsLocalhost)
                silo.UseLocalhostClustering(
                    ClusterAddress.LocalhostSiloPort + options.Index,
                    ClusterAddress.LocalhostGatewayPort + options.Index,
                    new IPEndPoint(IPAddress.Loopback, ClusterAddress.LocalhostSiloPort),
                    ClusterSettings.ServiceId,
                    options.ClusterId
                );
            else
            {
                silo.UseRedisClustering(o =>
                    o.ConfigurationOptions = RedisProbe.Options(options.Address)
                );
                var ip = Advertised(options);
                silo.ConfigureEndpoints(
                    ip,
                    FreePort(ip),
                    FreePort(ip),
                    listenOnAnyHostAddress: false
                );
            }
        });
        using var host = builder.Build();
        using (var starting = CancellationTokenSource.CreateLinkedTokenSource(stop))
        {
            starting.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await host.StartAsync(starting.Token);
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                throw new ClusterException(
                    $"the worker could not join the cluster at {options.Address} within 30 s"
                );
            }
            catch (Exception e) when (e is not OperationCanceledException and not ClusterException)
            {
                throw new ClusterException(
                    $"the worker could not join the cluster at {options.Address}: {RedisProbe.FirstLine(e.Message)}",
                    e
                );
            }
        }
        var silo = host.Services.GetRequiredService<Orleans.Runtime.ILocalSiloDetails>();
        log(
            $"worker {name} ready: silo {silo.SiloAddress.ToParsableString()}, cluster {options.Address} ({options.ClusterId})"
        );
        // Ctrl-C / SIGTERM reach either the command line's token or the host's console lifetime.
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        using var stopped = CancellationTokenSource.CreateLinkedTokenSource(
            stop,
            lifetime.ApplicationStopping
        );
        try
        {
            await Task.Delay(Timeout.Infinite, stopped.Token);
        }
        catch (OperationCanceledException) { }
        log($"worker {name} stopping");
        // Bounded: leaving the membership needs Redis, which may be gone by now.
        using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Task.WhenAny(host.StopAsync(stopping.Token), Task.Delay(TimeSpan.FromSeconds(12)));
        host.Services.GetRequiredService<ResidentEvaluator>().Dispose();
    }

    static IPAddress Advertised(WorkerOptions options)
    {
        if (options.Advertise is { } text)
            return IPAddress.TryParse(text, out var given)
                ? given
                : throw new ClusterException($"--advertise: not an IP address: '{text}'");
        if (options.Address.IsLoopback)
            return IPAddress.Loopback;
        return NetworkInterface
                .GetAllNetworkInterfaces()
                .Where(n => n.OperationalStatus == OperationalStatus.Up)
                .SelectMany(n => n.GetIPProperties().UnicastAddresses)
                .Select(a => a.Address)
                .FirstOrDefault(a =>
                    a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)
                )
            ?? throw new ClusterException("no IPv4 address to advertise: pass --advertise IP");
    }

    /// <summary>A port free right now (several workers share a machine, one per device).</summary>
    static int FreePort(IPAddress ip)
    {
        var listener = new TcpListener(ip, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
