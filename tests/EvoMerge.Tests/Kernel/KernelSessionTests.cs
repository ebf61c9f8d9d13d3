using System.Diagnostics;
using EvoMerge.Cli.Kernel;
using EvoMerge.Tests.Support;
using Xunit;

namespace EvoMerge.Tests.Kernel;

[Collection(KernelCollection.Name)]
public class KernelSessionTests
{
    static readonly TimeSpan Cell = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task Outputs_arrive_in_order_and_state_carries_over()
    {
        using var folder = new TempFolder();
        await using var kernel = await KernelSession.StartAsync(folder.Path);

        var first = await kernel.SubmitAsync("var x = 20;", Cell);
        var second = await kernel.SubmitAsync(
            """Console.WriteLine("out"); display("shown"); x + 22""",
            Cell
        );

        Assert.True(first.Succeeded, first.Error);
        Assert.True(second.Succeeded, second.Error);
        Assert.Equal(
            new[]
            {
                KernelOutputKind.StandardOutput,
                KernelOutputKind.Display,
                KernelOutputKind.ReturnValue,
            },
            second.Outputs.Select(o => o.Kind)
        );
        Assert.Equal("out\n", second.Outputs[0].Text);
        Assert.Equal("shown", second.Outputs[1].Text);
        Assert.Contains("42", second.Outputs[2].Values.First().Value);
    }

    [Fact]
    public async Task Compile_errors_and_exceptions_are_failed_results()
    {
        using var folder = new TempFolder();
        await using var kernel = await KernelSession.StartAsync(folder.Path);

        var compile = await kernel.SubmitAsync("int x = \"s\";", Cell);
        var thrown = await kernel.SubmitAsync(
            "throw new InvalidOperationException(\"boom\");",
            Cell
        );
        var after = await kernel.SubmitAsync("1 + 1", Cell);

        Assert.False(compile.Succeeded);
        Assert.Matches(@"^\(1,9\): error CS0029", compile.Error);
        Assert.False(thrown.Succeeded);
        Assert.Contains("System.InvalidOperationException: boom", thrown.Error);
        Assert.True(after.Succeeded, after.Error); // the kernel lives on, as in VS Code
    }

    [Fact]
    public async Task The_working_directory_is_the_given_folder()
    {
        using var folder = new TempFolder();
        folder.Write("part.csx", "var fromPart = 5;");
        await using var kernel = await KernelSession.StartAsync(folder.Path);

        var result = await kernel.SubmitAsync(
            "#load \"part.csx\"\nSystem.IO.Directory.GetCurrentDirectory() + \":\" + fromPart",
            Cell
        );

        Assert.True(result.Succeeded, result.Error);
        Assert.Equal($"{Path.GetFullPath(folder.Path)}:5", result.Outputs.Single().Text);
    }

    [Fact]
    public async Task A_cell_past_its_limit_stops_the_kernel()
    {
        using var folder = new TempFolder();
        var kernel = await KernelSession.StartAsync(folder.Path);
        var pid = kernel.ProcessId;

        var error = await Assert.ThrowsAsync<KernelException>(() =>
            kernel.SubmitAsync("System.Threading.Thread.Sleep(120_000);", TimeSpan.FromSeconds(3))
        );
        await kernel.DisposeAsync();

        Assert.Contains("ran past 3 s", error.Message);
        Assert.False(IsRunning(pid), "the kernel process is still running");
    }

    [Fact]
    public async Task Dispose_stops_the_kernel_process()
    {
        using var folder = new TempFolder();
        var kernel = await KernelSession.StartAsync(folder.Path);
        var pid = kernel.ProcessId;
        Assert.True(IsRunning(pid));

        await kernel.DisposeAsync();

        Assert.False(IsRunning(pid), "the kernel process is still running");
    }

    [Fact]
    public async Task The_kernel_exits_when_its_driver_is_killed()
    {
        // The kernel spins a core forever once its stdin closes: a driver killed without cleanup
        // (SIGKILL) must not leave it behind. `evomerge script` drives one; the script prints the
        // kernel's pid and sleeps; killing the driver must end the kernel within seconds.
        using var folder = new TempFolder();
        var script = folder.Write(
            "sleep.csx",
            "Console.WriteLine($\"kernel {Environment.ProcessId}\");\nSystem.Threading.Thread.Sleep(120_000);\n"
        );
        var cli = Path.Combine(AppContext.BaseDirectory, "EvoMerge.Cli.dll");
        using var driver = Process.Start(
            new ProcessStartInfo("dotnet", [cli, "script", script])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            }
        )!;
        try
        {
            var line = await driver
                .StandardOutput.ReadLineAsync()
                .WaitAsync(TimeSpan.FromMinutes(3));
            Assert.StartsWith("kernel ", line);
            var kernelPid = int.Parse(line!["kernel ".Length..]);
            Assert.True(IsRunning(kernelPid));

            driver.Kill(entireProcessTree: false); // only the driver, as a crash would
            await driver.WaitForExitAsync();

            var gone = Stopwatch.StartNew();
            while (IsRunning(kernelPid) && gone.Elapsed < TimeSpan.FromSeconds(20))
                await Task.Delay(200);
            var stillRunning = IsRunning(kernelPid);
            if (stillRunning)
                Process.GetProcessById(kernelPid).Kill();
            Assert.False(stillRunning, "the kernel outlived its driver by 20 s");
        }
        finally
        {
            if (!driver.HasExited)
                driver.Kill(entireProcessTree: true);
        }
    }

    static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
