using System.Runtime.InteropServices;
using EvoMerge.Build;
using TorchSharp;

namespace EvoMerge.Runtime;

/// <summary>
/// Loads TorchSharp's native backend once per process, before the first tensor is made.
/// Call <see cref="Initialize"/> from every host (CLI, tests, script and notebook runners).
/// </summary>
public static class TorchRuntime
{
    /// <summary>Environment variable naming an existing libLibTorchSharp.so to load (e.g. beside a PyTorch install's libtorch).</summary>
    public const string LibTorchSharpVariable = "LIBTORCHSHARP";

    static readonly object Gate = new();
    static bool _initialized;
    static bool _cudaLoaded;

    /// <summary>Loads the native backend. Idempotent and thread-safe.</summary>
    public static void Initialize()
    {
        lock (Gate)
        {
            if (_initialized)
                return;
            var external = Environment.GetEnvironmentVariable(LibTorchSharpVariable);
            if (!string.IsNullOrEmpty(external))
            {
                // A PyTorch installation's libtorch (LD_LIBRARY_PATH names its lib/ folder); see docs/gpu.md.
                if (!File.Exists(external))
                    throw new FileNotFoundException(
                        $"{LibTorchSharpVariable}={external}: no such file",
                        external
                    );
                NativeLibrary.Load(external);
                try
                {
                    torch.InitializeDeviceType(DeviceType.CUDA);
                    _cudaLoaded = true;
                }
                catch (Exception)
                {
                    torch.InitializeDeviceType(DeviceType.CPU);
                }
            }
            else
            {
                PatchBundledNativeIfNeeded();
                PreloadNativeBesideTorchSharp();
                torch.InitializeDeviceType(DeviceType.CPU);
                _cudaLoaded = torch.cuda.is_available();
            }
            _initialized = true;
        }
    }

    /// <summary>True when a CUDA device can be used.</summary>
    public static bool CudaAvailable
    {
        get
        {
            Initialize();
            return _cudaLoaded && torch.cuda.is_available();
        }
    }

    /// <summary>Resolves "auto" | "cpu" | "cuda" | "cuda:N" to a device; auto = CUDA when available.</summary>
    public static torch.Device ResolveDevice(string? choice)
    {
        Initialize();
        var name = string.IsNullOrWhiteSpace(choice) ? "auto" : choice.Trim().ToLowerInvariant();
        if (name == "auto")
            return CudaAvailable ? torch.CUDA : torch.CPU;
        if (name.StartsWith("cuda", StringComparison.Ordinal) && !CudaAvailable)
            throw new InvalidOperationException(
                $"--device {choice}: CUDA is not available in this process (CPU build of libtorch; see README 'GPU')."
            );
        if (name != "cpu" && !name.StartsWith("cuda", StringComparison.Ordinal))
            throw new ArgumentException($"--device {choice}: expected auto, cpu, cuda or cuda:N");
        return new torch.Device(name);
    }

    /// <summary>
    /// The folders TorchSharp's native glue may be loaded from: the host's base folder (an app built
    /// with its deps.json) and the folder holding TorchSharp.dll, which differs when a host loads our
    /// assemblies by path (the .NET Interactive kernel's base folder is the tool's own).
    /// </summary>
    static IEnumerable<string> NativeCandidates()
    {
        var folders = new[] { AppContext.BaseDirectory, TorchSharpFolder }
            .OfType<string>()
            .Select(Path.GetFullPath)
            .Distinct();
        foreach (var folder in folders)
        {
            yield return BundledGlue(folder);
            yield return Path.Combine(folder, "libLibTorchSharp.so");
            yield return Path.Combine(folder, "cpu", "libLibTorchSharp.so");
        }
    }

    /// <summary>The folder holding TorchSharp.dll, or null (an assembly loaded from bytes).</summary>
    static string? TorchSharpFolder =>
        Path.GetDirectoryName(typeof(torch).Assembly.Location) is { Length: > 0 } folder
            ? folder
            : null;

    /// <summary>Where the TorchSharp package puts its native glue in a build output folder.</summary>
    static string BundledGlue(string folder) =>
        Path.Combine(folder, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    /// <summary>
    /// Loads libLibTorchSharp.so from beside TorchSharp.dll before TorchSharp looks for it. A host
    /// without our deps.json (the notebook kernel) would otherwise make TorchSharp copy the whole
    /// unpatched libtorch into a cpu/ folder and fail on GLIBCXX_3.4.32; once this copy is loaded,
    /// TorchSharp's own lookup by name finds it (the loader matches the library's soname).
    /// </summary>
    static void PreloadNativeBesideTorchSharp()
    {
        if (!OperatingSystem.IsLinux() || TorchSharpFolder is not { } folder)
            return;
        var glue = BundledGlue(folder);
        if (File.Exists(glue))
            NativeLibrary.Load(glue);
    }

    /// <summary>
    /// Re-applies the GLIBCXX_3.4.32 weak-version patch (see build/ElfVersionPatch.cs) to the copies of
    /// libLibTorchSharp.so that TorchSharp may load from, in case an incremental build replaced them.
    /// </summary>
    static void PatchBundledNativeIfNeeded()
    {
        if (
            !OperatingSystem.IsLinux()
            || ElfVersionPatch.SystemLibStdCxxHas(ElfVersionPatch.RequiredVersion)
        )
            return;
        foreach (var candidate in NativeCandidates())
        {
            if (!File.Exists(candidate))
                continue;
            try
            {
                ElfVersionPatch.MakeVersionWeak(candidate, ElfVersionPatch.RequiredVersion);
            }
            catch (UnauthorizedAccessException)
            {
                // Read-only install: the build-time patch must have run; loading will tell.
            }
        }
    }
}
