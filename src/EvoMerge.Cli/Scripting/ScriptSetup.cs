using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace EvoMerge.Cli.Scripting;

/// <summary>Compiler options and the assembly loader shared by the script runner and the notebook executor.</summary>
public static class ScriptSetup
{
    /// <summary>Namespaces imported in every script and cell (dotnet-script's defaults, less the exotic ones).</summary>
    public static readonly IReadOnlyList<string> DefaultImports =
    [
        "System",
        "System.Collections.Generic",
        "System.Diagnostics",
        "System.IO",
        "System.Linq",
        "System.Text",
        "System.Threading",
        "System.Threading.Tasks",
    ];

    /// <summary>
    /// Options for code whose diagnostics and <c>#r</c>/<c>#load</c> paths belong to
    /// <paramref name="filePath"/> (relative references resolve from its folder).
    /// </summary>
    public static ScriptOptions Options(string filePath)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(filePath))!;
        return ScriptOptions
            .Default.WithFilePath(filePath)
            .WithFileEncoding(Encoding.UTF8)
            .WithEmitDebugInformation(true) // stack traces name the .csx line
            .WithOptimizationLevel(OptimizationLevel.Release)
            .WithLanguageVersion(LanguageVersion.Latest)
            .WithMetadataResolver(new ScriptMetadataResolver())
            .WithSourceResolver(new SourceFileResolver(ImmutableArray<string>.Empty, folder))
            .WithReferences(HostAssemblies.Framework)
            .WithImports(DefaultImports);
    }

    /// <summary>
    /// A loader that hands the host's already-loaded assemblies to scripts, so an <c>#r</c> to
    /// EvoMerge or TorchSharp never loads a second copy.
    /// </summary>
    public static InteractiveAssemblyLoader Loader()
    {
        var loader = new InteractiveAssemblyLoader();
        foreach (var assembly in HostAssemblies.All)
            loader.RegisterDependency(assembly);
        return loader;
    }
}
