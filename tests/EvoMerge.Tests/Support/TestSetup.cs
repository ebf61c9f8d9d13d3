using System.Runtime.CompilerServices;
using EvoMerge.Runtime;

namespace EvoMerge.Tests.Support;

internal static class TestSetup
{
    /// <summary>Loads TorchSharp's native backend before any test touches a tensor.</summary>
    [ModuleInitializer]
    internal static void Init() => TorchRuntime.Initialize();
}
