using Xunit;

namespace EvoMerge.Tests.Support;

/// <summary>Tests that swap Console.Error to read what the CLI printed: they run alone, so no other test's output lands in theirs.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ConsoleCaptureCollection
{
    public const string Name = "Console capture";
}
