using Xunit;

namespace EvoMerge.Tests.Scripting;

/// <summary>
/// Script and notebook runs change the process's current directory and Console: the classes in
/// this collection run alone, after the parallel tests.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ScriptingCollection
{
    public const string Name = "Scripting (process-wide state)";
}
