using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace EvoMerge.Cli.Scripting;

/// <summary>
/// Resolves <c>#r</c> the way dotnet-script files expect, inside this host:
/// <list type="bullet">
/// <item><c>#r "nuget: Name, version"</c> → the host's already-loaded main assembly of that package
/// (the version is not checked: the host's pinned version is what runs); any other package resolves
/// to nothing, which the compiler reports at the line (see <see cref="ScriptDiagnostics"/>).</item>
/// <item><c>#r "path/To.dll"</c> → relative to the referencing file; when the file name is an assembly
/// the host already has (EvoMerge.dll, TorchSharp.dll, ...), the host's copy, even when the path
/// does not exist (a Release build for VS Code users need not be there).</item>
/// <item><c>#r "System.Net.Http"</c> → the shared framework assembly of that name.</item>
/// </list>
/// </summary>
public sealed class ScriptMetadataResolver : MetadataReferenceResolver
{
    /// <summary>The prefix of a NuGet reference.</summary>
    public const string NuGetPrefix = "nuget:";

    /// <summary>Splits <c>nuget: Name, version</c> into its package id (version ignored).</summary>
    public static string PackageId(string reference) =>
        reference[NuGetPrefix.Length..].Split(',')[0].Trim();

    /// <inheritdoc />
    public override ImmutableArray<PortableExecutableReference> ResolveReference(
        string reference,
        string? baseFilePath,
        MetadataReferenceProperties properties
    )
    {
        if (reference.StartsWith(NuGetPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var assembly = HostAssemblies.ForPackage(PackageId(reference));
            return assembly is null ? [] : [HostAssemblies.Reference(assembly.Location)];
        }

        var fileName = Path.GetFileName(reference);
        var simpleName = fileName.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? fileName[..^4]
            : fileName;
        if (HostAssemblies.ByAssemblyName(simpleName) is { } hosted)
            return [HostAssemblies.Reference(hosted.Location)];

        var isPath =
            reference.Contains('/')
            || reference.Contains('\\')
            || reference.EndsWith(".dll", StringComparison.OrdinalIgnoreCase);
        if (isPath)
        {
            var folder = baseFilePath is null
                ? Environment.CurrentDirectory
                : Path.GetDirectoryName(Path.GetFullPath(baseFilePath))!;
            var full = Path.GetFullPath(Path.Combine(folder, reference));
            return File.Exists(full) ? [HostAssemblies.Reference(full)] : [];
        }
        return HostAssemblies.FrameworkReference(simpleName) is { } framework ? [framework] : [];
    }

    /// <inheritdoc />
    public override bool ResolveMissingAssemblies => true;

    /// <inheritdoc />
    public override PortableExecutableReference? ResolveMissingAssembly(
        MetadataReference definition,
        AssemblyIdentity referenceIdentity
    ) =>
        HostAssemblies.ByAssemblyName(referenceIdentity.Name) is { } hosted
            ? HostAssemblies.Reference(hosted.Location)
            : HostAssemblies.FrameworkReference(referenceIdentity.Name);

    /// <inheritdoc />
    public override bool Equals(object? other) => other is ScriptMetadataResolver;

    /// <inheritdoc />
    public override int GetHashCode() => nameof(ScriptMetadataResolver).GetHashCode();
}
