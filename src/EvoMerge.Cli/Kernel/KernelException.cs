namespace EvoMerge.Cli.Kernel;

/// <summary>The kernel could not be started, died, or a submission ran past its time limit.</summary>
public sealed class KernelException(string message) : Exception(message);
