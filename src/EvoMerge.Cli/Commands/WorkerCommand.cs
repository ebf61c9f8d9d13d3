using System.CommandLine;
using EvoMerge.Cli.Options;
using EvoMerge.Cluster;

namespace EvoMerge.Cli.Commands;

/// <summary>
/// `evomerge worker [--device cuda:N] [--cluster localhost|redis://host:port]`: hosts a silo whose
/// evaluator grain keeps a run's models resident on the device and scores the candidates the
/// optimizer (`evomerge evolve --cluster ...`) sends it. One worker per device; Ctrl-C stops it.
/// </summary>
internal static class WorkerCommand
{
    public static Command Create()
    {
        var cluster = ClusterArguments.Address();
        var clusterId = ClusterArguments.Id();
        var index = new Option<int>("--index")
        {
            Description =
                "localhost only: worker i uses silo port 11111+i, gateway 30000+i (0 first)",
        };
        var advertise = new Option<string?>("--advertise")
        {
            Description = "IP the other machines reach this worker at (default: this machine's)",
        };
        var command = new Command(
            "worker",
            "Host a worker that scores candidates for `evolve --cluster`."
        )
        {
            cluster,
            clusterId,
            index,
            advertise,
        };
        // A CPU worker's scores match an in-process run with the same --threads.
        var runtime = RuntimeOptions.AddTo(command, RuntimeOption.Device | RuntimeOption.Threads);
        command.SetAction(
            (parse, token) =>
                ExitCodes.GuardAsync(
                    parse,
                    async () =>
                    {
                        var settings = runtime.Initialize(parse);
                        var options = new WorkerOptions(
                            ClusterAddress.Parse(parse.GetValue(cluster)!),
                            settings.Device,
                            parse.GetValue(clusterId)!,
                            parse.GetValue(index),
                            parse.GetValue(advertise),
                            parse.GetValue(EvoMergeCli.Verbose), // the global --verbose also shows Orleans' own log
                            settings.Threads
                        );
                        await WorkerHost.Run(
                            options,
                            line =>
                            {
                                Console.WriteLine($"[{DateTime.Now:HH:mm:ss}] {line}");
                                Console.Out.Flush();
                            },
                            token
                        );
                        return 0;
                    }
                )
        );
        return command;
    }
}

/// <summary>The cluster options `worker` and `evolve` share.</summary>
internal static class ClusterArguments
{
    public static Option<string> Address() =>
        new("--cluster")
        {
            Description = "localhost (one machine) or redis://host:port (several machines)",
            DefaultValueFactory = _ => "localhost",
        };

    public static Option<string> Id() =>
        new("--cluster-id")
        {
            Description = "Name of the cluster (workers and optimizer must agree)",
            DefaultValueFactory = _ => "evomerge",
        };
}
