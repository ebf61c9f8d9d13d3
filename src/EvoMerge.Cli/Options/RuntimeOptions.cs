using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using EvoMerge.Runtime;
using TorchSharp;

namespace EvoMerge.Cli.Options;

/// <summary>The runtime options a command takes (any subset).</summary>
[Flags]
internal enum RuntimeOption
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary><c>--device</c>.</summary>
    Device = 1,

    /// <summary><c>--dtype</c>.</summary>
    Dtype = 2,

    /// <summary><c>--threads</c>.</summary>
    Threads = 4,

    /// <summary><c>--seed</c>.</summary>
    Seed = 8,
}

/// <summary>What the prologue resolved: the device, the weights' dtype (when the command takes <c>--dtype</c>), the libtorch threads set (when it takes <c>--threads</c>) and the seed.</summary>
internal sealed record RuntimeSettings(
    torch.Device Device,
    torch.ScalarType? Dtype,
    int? Threads,
    ulong Seed
);

/// <summary>
/// The one declaration of <c>--device</c>, <c>--dtype</c>, <c>--threads</c> and <c>--seed</c>
/// (name, description, default and validation are the same in every command), and the one
/// prologue that applies them: load libtorch, set its CPU threads (process-wide, so here and never
/// in the library), resolve the device and the dtype. A bad value fails at parse time: one
/// <c>error:</c> line and exit 2, before anything is loaded.
/// </summary>
internal sealed partial class RuntimeOptions
{
    public const string DeviceDescription =
        "auto | cpu | cuda | cuda:N (default: the experiment config's device where the command reads one, else auto: CUDA when available)";

    public const string DtypeDescription =
        "dtype of the model weights: float32 | bfloat16 | float16 (default: float32 on CPU, bfloat16 on CUDA)";

    public const string ThreadsDescription =
        "CPU threads for libtorch, at least 1 (results are bit-identical only for the same count; the shipped zoo and the README's runs used 1)";

    public const string SeedDescription = "random seed: the same seed gives the same result";

    /// <summary>The default of <c>--threads</c>: reproducible (see <see cref="ThreadsDescription"/>), and fastest for the tiny zoo on a busy machine.</summary>
    public const int DefaultThreads = 1;

    RuntimeOptions(RuntimeOption which, ulong seedDefault)
    {
        if (which.HasFlag(RuntimeOption.Device))
            Device = DeviceOption();
        if (which.HasFlag(RuntimeOption.Dtype))
            Dtype = DtypeOption();
        if (which.HasFlag(RuntimeOption.Threads))
            Threads = ThreadsOption();
        if (which.HasFlag(RuntimeOption.Seed))
            Seed = SeedOption(seedDefault);
    }

    /// <summary><c>--device</c>, when the command takes it.</summary>
    public Option<string?>? Device { get; }

    /// <summary><c>--dtype</c>, when the command takes it.</summary>
    public Option<string?>? Dtype { get; }

    /// <summary><c>--threads</c>, when the command takes it.</summary>
    public Option<int>? Threads { get; }

    /// <summary><c>--seed</c>, when the command takes it.</summary>
    public Option<ulong>? Seed { get; }

    /// <summary>
    /// Adds the options in <paramref name="which"/> to <paramref name="command"/>. The seed's default
    /// is the command's own (<paramref name="seedDefault"/>): it decides what a run without
    /// <c>--seed</c> produces, e.g. the shipped task data and zoo, so it cannot be shared.
    /// </summary>
    public static RuntimeOptions AddTo(Command command, RuntimeOption which, ulong seedDefault = 0)
    {
        var options = new RuntimeOptions(which, seedDefault);
        foreach (var option in options.All)
            command.Options.Add(option);
        return options;
    }

    /// <summary>The options declared, in the order device, dtype, threads, seed.</summary>
    public IEnumerable<Option> All =>
        new Option?[] { Device, Dtype, Threads, Seed }.OfType<Option>();

    /// <summary>The names of the options this binder declares.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "--device",
        "--dtype",
        "--threads",
        "--seed",
    ];

    /// <summary>A fresh declaration of the option named <paramref name="name"/> (one of <see cref="Names"/>), as every command gets it.</summary>
    public static Option Declaration(string name, ulong seedDefault = 0) =>
        name switch
        {
            "--device" => DeviceOption(),
            "--dtype" => DtypeOption(),
            "--threads" => ThreadsOption(),
            "--seed" => SeedOption(seedDefault),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
        };

    /// <summary>The value of <c>--device</c> (null: not given).</summary>
    public string? DeviceValue(ParseResult parse) => Device is null ? null : parse.GetValue(Device);

    /// <summary>The value of <c>--seed</c>.</summary>
    public ulong SeedValue(ParseResult parse) =>
        Seed is null
            ? throw new InvalidOperationException("the command takes no --seed")
            : parse.GetValue(Seed);

    /// <summary>
    /// The prologue: loads libtorch, sets its threads, resolves the device (<c>--device</c>, else
    /// <paramref name="configDevice"/>, else auto) and the dtype (<c>--dtype</c>, else float32 on the
    /// CPU and bfloat16 on CUDA). Commands that take only <c>--seed</c> do not load libtorch.
    /// </summary>
    public RuntimeSettings Initialize(ParseResult parse, string? configDevice = null)
    {
        var seed = Seed is null ? 0 : parse.GetValue(Seed);
        if (Device is null && Dtype is null && Threads is null)
            return new RuntimeSettings(torch.CPU, null, null, seed);
        int? threads = Threads is null ? null : parse.GetValue(Threads);
        var device = Prologue(DeviceValue(parse) ?? configDevice, threads);
        var dtype =
            Dtype is null ? (torch.ScalarType?)null
            : parse.GetValue(Dtype) is { } name ? ParseDtype(name)!.Value
            : DefaultDtype(device);
        return new RuntimeSettings(device, dtype, threads, seed);
    }

    /// <summary>
    /// The prologue for a handler called with plain values (e.g. <c>merge</c>'s, which checks its
    /// recipe and output before loading libtorch): loads libtorch, sets <paramref name="threads"/>
    /// when given, and resolves <paramref name="device"/> (null: auto).
    /// </summary>
    public static torch.Device Prologue(string? device, int? threads = null)
    {
        TorchRuntime.Initialize();
        if (threads is int n)
            torch.set_num_threads(n);
        return TorchRuntime.ResolveDevice(device);
    }

    /// <summary>float32 on the CPU (fp16 arithmetic is unusable there), bfloat16 on CUDA.</summary>
    public static torch.ScalarType DefaultDtype(torch.Device device) =>
        device.type == DeviceType.CUDA ? torch.ScalarType.BFloat16 : torch.ScalarType.Float32;

    static Option<string?> DeviceOption()
    {
        var option = new Option<string?>("--device") { Description = DeviceDescription };
        option.Validators.Add(result =>
        {
            if (
                result.GetValueOrDefault<string?>() is { } value
                && !DevicePattern().IsMatch(value.Trim().ToLowerInvariant())
            )
                result.AddError($"--device {value}: expected auto, cpu, cuda or cuda:N");
        });
        return option;
    }

    static Option<string?> DtypeOption()
    {
        var option = new Option<string?>("--dtype") { Description = DtypeDescription };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && ParseDtype(value) is null)
                result.AddError($"--dtype {value}: expected float32, bfloat16 or float16");
        });
        return option;
    }

    static Option<int> ThreadsOption()
    {
        var option = new Option<int>("--threads")
        {
            Description = ThreadsDescription,
            DefaultValueFactory = _ => DefaultThreads,
        };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is var n and < 1)
                result.AddError(
                    string.Create(
                        CultureInfo.InvariantCulture,
                        $"--threads {n}: expected a whole number of at least 1"
                    )
                );
        });
        return option;
    }

    static Option<ulong> SeedOption(ulong seedDefault) =>
        new("--seed") { Description = SeedDescription, DefaultValueFactory = _ => seedDefault };

    static torch.ScalarType? ParseDtype(string name) =>
        name.Trim().ToLowerInvariant() switch
        {
            "float32" or "fp32" => torch.ScalarType.Float32,
            "bfloat16" or "bf16" => torch.ScalarType.BFloat16,
            "float16" or "fp16" => torch.ScalarType.Float16,
            _ => null,
        };

    [GeneratedRegex("^(auto|cpu|cuda(:[0-9]+)?)$")]
    private static partial Regex DevicePattern();
}
