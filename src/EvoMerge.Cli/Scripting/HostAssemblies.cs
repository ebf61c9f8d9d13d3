using System.Reflection;
using Microsoft.CodeAnalysis;

namespace EvoMerge.Cli.Scripting;

/// <summary>
/// The assemblies this host already has loaded and that scripts may reference: the EvoMerge
/// libraries and their NuGet dependencies. A script's <c>#r</c> binds to these instead of loading a
/// second copy (a second TorchSharp would load libtorch twice, which aborts the process).
/// </summary>
public static class HostAssemblies
{
    /// <summary>
    /// NuGet package id → its main assembly, for <c>#r "nuget: ..."</c>. One assembly each: Roslyn
    /// binds one reference per directive; dependencies (Plotly.NET under Plotly.NET.CSharp, FSharp.Core)
    /// come through <see cref="ScriptMetadataResolver.ResolveMissingAssembly"/>.
    /// </summary>
    static readonly Dictionary<string, Assembly> Packages = new(StringComparer.OrdinalIgnoreCase)
    {
        ["TorchSharp"] = typeof(TorchSharp.torch).Assembly,
        // The native packages carry no managed code: naming them means "TorchSharp with its libtorch".
        ["TorchSharp-cpu"] = typeof(TorchSharp.torch).Assembly,
        ["libtorch-cpu-linux-x64"] = typeof(TorchSharp.torch).Assembly,
        ["YamlDotNet"] = typeof(YamlDotNet.Serialization.Serializer).Assembly,
        ["Microsoft.ML.Tokenizers"] = typeof(Microsoft.ML.Tokenizers.Tokenizer).Assembly,
        ["Spectre.Console"] = typeof(Spectre.Console.AnsiConsole).Assembly,
        ["FSharp.Core"] = typeof(Microsoft.FSharp.Core.FSharpOption<>).Assembly,
        ["Plotly.NET"] = typeof(Plotly.NET.GenericChart).Assembly,
        ["Plotly.NET.CSharp"] = typeof(Plotly.NET.CSharp.Chart).Assembly,
    };

    static readonly Lazy<Dictionary<string, Assembly>> ByName = new(() =>
    {
        var all = Packages
            .Values.Append(typeof(Runtime.TorchRuntime).Assembly)
            .Append(typeof(Plots.ChartFiles).Assembly);
        var map = new Dictionary<string, Assembly>(StringComparer.OrdinalIgnoreCase);
        foreach (var assembly in all)
        {
            map[assembly.GetName().Name!] = assembly;
            // Their own dependencies (e.g. DynamicObj under Plotly.NET) so compilation finds them.
            foreach (var dependency in assembly.GetReferencedAssemblies())
                if (TryLoad(dependency) is { } loaded && !IsFramework(loaded))
                    map.TryAdd(dependency.Name!, loaded);
        }
        return map;
    });

    static readonly Dictionary<string, PortableExecutableReference> ReferenceCache = new(
        StringComparer.Ordinal
    );

    /// <summary>Package ids a script may name in <c>#r "nuget: ..."</c>.</summary>
    public static IReadOnlyCollection<string> PackageIds => Packages.Keys;

    /// <summary>Every assembly scripts bind to instead of loading their own copy.</summary>
    public static IEnumerable<Assembly> All => ByName.Value.Values;

    /// <summary>The host's main assembly of a NuGet package, or null when the host does not carry it.</summary>
    public static Assembly? ForPackage(string packageId) =>
        Packages.TryGetValue(packageId, out var assembly) ? assembly : null;

    /// <summary>The host's assembly with this simple name (e.g. "EvoMerge", "TorchSharp"), if any.</summary>
    public static Assembly? ByAssemblyName(string simpleName) =>
        ByName.Value.TryGetValue(simpleName, out var assembly) ? assembly : null;

    /// <summary>Every assembly of the shared framework (what dotnet-script references by default).</summary>
    public static IReadOnlyList<PortableExecutableReference> Framework { get; } = LoadFramework();

    /// <summary>A cached metadata reference to an assembly file (reading metadata is the slow part).</summary>
    public static PortableExecutableReference Reference(string path)
    {
        lock (ReferenceCache)
        {
            if (!ReferenceCache.TryGetValue(path, out var reference))
                ReferenceCache[path] = reference = MetadataReference.CreateFromFile(path);
            return reference;
        }
    }

    /// <summary>A reference to the framework assembly with this simple name, if there is one.</summary>
    public static PortableExecutableReference? FrameworkReference(string simpleName)
    {
        var path = Path.Combine(FrameworkDirectory, simpleName + ".dll");
        return File.Exists(path) ? Reference(path) : null;
    }

    static string FrameworkDirectory => Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    static bool IsFramework(Assembly assembly) =>
        string.Equals(
            Path.GetDirectoryName(assembly.Location),
            FrameworkDirectory,
            StringComparison.Ordinal
        );

    static Assembly? TryLoad(AssemblyName name)
    {
        try
        {
            return Assembly.Load(name);
        }
        catch (Exception ex) when (ex is FileNotFoundException or FileLoadException)
        {
            return null; // an optional dependency the host never needs
        }
    }

    static PortableExecutableReference[] LoadFramework() =>
        Directory
            .EnumerateFiles(FrameworkDirectory, "*.dll")
            .Where(IsManaged)
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(Reference)
            .ToArray();

    static bool IsManaged(string path)
    {
        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
