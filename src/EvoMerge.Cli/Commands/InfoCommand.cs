using System.CommandLine;
using EvoMerge.Runtime;
using TorchSharp;

namespace EvoMerge.Cli.Commands;

/// <summary>`evomerge info`: which libtorch loaded and which devices are usable.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show the TorchSharp backend and available devices.");
        command.SetAction(_ =>
        {
            TorchRuntime.Initialize();
            Console.WriteLine($"TorchSharp {typeof(torch).Assembly.GetName().Version}");
            Console.WriteLine($"CUDA available: {TorchRuntime.CudaAvailable}");
            Console.WriteLine($"CPU threads: {torch.get_num_threads()}");
            return 0;
        });
        return command;
    }
}
