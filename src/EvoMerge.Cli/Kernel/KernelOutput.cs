using EvoMerge.Common;

namespace EvoMerge.Cli.Kernel;

/// <summary>What kind of event produced an output.</summary>
public enum KernelOutputKind
{
    /// <summary>Console.Out text (StandardOutputValueProduced).</summary>
    StandardOutput,

    /// <summary>Console.Error text (StandardErrorValueProduced).</summary>
    StandardError,

    /// <summary><c>display(x)</c> (DisplayedValueProduced, or a later DisplayedValueUpdated of it).</summary>
    Display,

    /// <summary>A cell's trailing expression (ReturnValueProduced).</summary>
    ReturnValue,
}

/// <summary>One formatted value: a MIME type and the kernel's text for it.</summary>
public sealed record FormattedValue(string MimeType, string Value);

/// <summary>One output of a submission, as the kernel's event gave it.</summary>
/// <param name="Kind">The event kind.</param>
/// <param name="Values">The formatted values (one per MIME type the kernel chose).</param>
/// <param name="ValueId">The display id (DisplayedValueUpdated replaces the output with the same id).</param>
public sealed record KernelOutput(
    KernelOutputKind Kind,
    ValueArray<FormattedValue> Values,
    string? ValueId = null
)
{
    /// <summary>The value for <paramref name="mimeType"/>, or null.</summary>
    public string? Get(string mimeType) =>
        Values.FirstOrDefault(v => v.MimeType == mimeType)?.Value;

    /// <summary>text/plain when there is one, else the first value.</summary>
    public string Text => Get("text/plain") ?? Values.FirstOrDefault()?.Value ?? "";
}

/// <summary>The result of one SubmitCode: success, the outputs in order, and the error message when it failed.</summary>
public sealed record SubmissionResult(
    bool Succeeded,
    ValueArray<KernelOutput> Outputs,
    string? Error,
    TimeSpan Elapsed
);
