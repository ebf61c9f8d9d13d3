using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using EvoMerge.Common;

namespace EvoMerge.Cli.Kernel;

/// <summary>
/// One <c>dotnet-interactive stdio</c> process, driven over its JSON protocol one submission at a
/// time: the kernel VS Code Polyglot runs, so a notebook behaves here as it does there (its own
/// <c>#r</c>/<c>#load</c>, default usings, formatters). Every wait is bounded: a submission past
/// its limit, or a kernel that exits, kills the process tree and throws <see cref="KernelException"/>.
/// </summary>
public sealed class KernelSession : IAsyncDisposable
{
    // Protocol: one JSON envelope per line each way. Commands carry a token; the kernel echoes it on
    // every event of that command (and "<token>.<n>" on commands it runs on its behalf).
    readonly Process _process;
    readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true }
    );

    // The last lines of the kernel's stderr, quoted when it dies or times out.
    const int StderrLines = 5;
    readonly Queue<string> _stderr = new();
    readonly Task _reader;
    int _submissions;

    KernelSession(Process process)
    {
        _process = process;
        _reader = Task.Run(ReadEvents);
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
                return;
            lock (_stderr)
            {
                _stderr.Enqueue(e.Data);
                while (_stderr.Count > StderrLines)
                    _stderr.Dequeue();
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>The kernel's process id (tests check it is gone after dispose).</summary>
    public int ProcessId => _process.Id;

    /// <summary>
    /// Starts the kernel with <paramref name="workingDirectory"/> as its current directory (relative
    /// <c>#r</c>/<c>#load</c> and file paths resolve from there, as for a notebook in VS Code) and
    /// waits for it to report ready. <paramref name="environment"/> adds to (or overrides) this
    /// process's environment for the kernel, e.g. EVOMERGE_QUICK=1.
    /// </summary>
    public static async Task<KernelSession> StartAsync(
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment = null,
        TimeSpan? startTimeout = null,
        CancellationToken cancel = default
    )
    {
        var tool = KernelTool.Find(workingDirectory);
        var start = new ProcessStartInfo(tool.FileName)
        {
            WorkingDirectory = tool.WorkingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = new System.Text.UTF8Encoding(false),
            StandardInputEncoding = new System.Text.UTF8Encoding(false),
        };
        foreach (var argument in tool.PrefixArguments)
            start.ArgumentList.Add(argument);
        foreach (
            var argument in new[]
            {
                "stdio",
                "--default-kernel",
                "csharp",
                "--working-dir",
                Path.GetFullPath(workingDirectory),
            }
        )
            start.ArgumentList.Add(argument);
        start.Environment["DOTNET_INTERACTIVE_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
            start.Environment[name] = value;
        var process =
            Process.Start(start) ?? throw new KernelException("dotnet-interactive did not start");
        var session = new KernelSession(process);
        try
        {
            await session.WaitForAsync(
                e => (string?)e["eventType"] == "KernelReady",
                startTimeout ?? TimeSpan.FromMinutes(2),
                "start",
                cancel
            );
            await session.WatchDriverAsync(cancel);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
        return session;
    }

    /// <summary>
    /// The kernel spins a core forever once its stdin closes, so a driver that dies without
    /// disposing (a killed test host, Ctrl-C twice) must not leave it behind: a background thread
    /// inside the kernel exits it when this process is gone.
    /// </summary>
    async Task WatchDriverAsync(CancellationToken cancel)
    {
        var watchdog = $$"""
            new System.Threading.Thread(() =>
            {
                while (true)
                {
                    try { using var driver = System.Diagnostics.Process.GetProcessById({{Environment.ProcessId}}); if (driver.HasExited) break; }
                    catch (System.ArgumentException) { break; }
                    System.Threading.Thread.Sleep(1000);
                }
                System.Environment.Exit(0);
            }) { IsBackground = true, Name = "evomerge-driver-watchdog" }.Start();
            """;
        var result = await SubmitAsync(watchdog, TimeSpan.FromMinutes(2), cancel: cancel);
        if (!result.Succeeded)
            throw new KernelException($"the kernel rejected its watchdog: {result.Error}");
    }

    /// <summary>
    /// Submits <paramref name="code"/> to the C# kernel and waits (at most <paramref name="timeout"/>)
    /// for it to finish. <paramref name="onOutput"/> sees each output as it arrives (progress lines).
    /// A compile error or exception is a failed result, not an exception; a timeout or a dead kernel is.
    /// </summary>
    public async Task<SubmissionResult> SubmitAsync(
        string code,
        TimeSpan timeout,
        Action<KernelOutput>? onOutput = null,
        CancellationToken cancel = default
    )
    {
        var token = $"evomerge-{++_submissions}";
        var envelope = new JsonObject
        {
            ["token"] = token,
            ["commandType"] = "SubmitCode",
            ["command"] = new JsonObject { ["code"] = code, ["targetKernelName"] = "csharp" },
        };
        var clock = Stopwatch.StartNew();
        await _process.StandardInput.WriteLineAsync(envelope.ToJsonString());
        await _process.StandardInput.FlushAsync(cancel);

        var outputs = new List<KernelOutput>();
        string? error = null;
        var done = await WaitForAsync(
            e =>
            {
                var eventToken = (string?)e["command"]?["token"];
                if (eventToken != token && eventToken?.StartsWith(token + ".") != true)
                    return false;
                var type = (string?)e["eventType"];
                var body = e["event"] as JsonObject;
                switch (type)
                {
                    case "StandardOutputValueProduced":
                    case "StandardErrorValueProduced":
                    case "DisplayedValueProduced":
                    case "ReturnValueProduced":
                    {
                        var output = Output(type, body);
                        outputs.Add(output);
                        onOutput?.Invoke(output);
                        break;
                    }
                    case "DisplayedValueUpdated":
                    {
                        var update = Output(type, body);
                        var at = outputs.FindIndex(o => o.ValueId == update.ValueId);
                        if (at >= 0)
                            outputs[at] = update;
                        else
                            outputs.Add(update);
                        break;
                    }
                    case "ErrorProduced":
                        error ??= (string?)body?["message"];
                        break;
                    case "CommandFailed" when eventToken == token:
                        error = (string?)body?["message"] ?? error ?? "the cell failed";
                        return true;
                    case "CommandSucceeded" when eventToken == token:
                        return true;
                }
                return false;
            },
            timeout,
            "the submission",
            cancel
        );
        var succeeded = (string?)done["eventType"] == "CommandSucceeded";
        return new SubmissionResult(
            succeeded,
            outputs.ToValueArray(),
            succeeded ? null : error,
            clock.Elapsed
        );
    }

    static KernelOutput Output(string? type, JsonObject? body)
    {
        var kind = type switch
        {
            "StandardOutputValueProduced" => KernelOutputKind.StandardOutput,
            "StandardErrorValueProduced" => KernelOutputKind.StandardError,
            "ReturnValueProduced" => KernelOutputKind.ReturnValue,
            _ => KernelOutputKind.Display,
        };
        var values = (body?["formattedValues"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Select(v => new FormattedValue(
                (string?)v["mimeType"] ?? "text/plain",
                (string?)v["value"] ?? ""
            ))
            .ToValueArray();
        return new KernelOutput(kind, values, (string?)body?["valueId"]);
    }

    async Task<JsonObject> WaitForAsync(
        Func<JsonObject, bool> isLast,
        TimeSpan timeout,
        string what,
        CancellationToken cancel
    )
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        limit.CancelAfter(timeout);
        try
        {
            while (true)
            {
                JsonObject next;
                try
                {
                    next = await _events.Reader.ReadAsync(limit.Token);
                }
                catch (ChannelClosedException)
                {
                    // The reader completed: the kernel closed its output (it exited).
                    Kill();
                    throw new KernelException(
                        $"the kernel exited during {what} (exit code {ExitCode()}){StderrTail()}"
                    );
                }
                if (isLast(next))
                    return next;
            }
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            Kill();
            throw new KernelException(
                $"{what} ran past {timeout.TotalSeconds:0} s; the kernel was stopped{StderrTail()}"
            );
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw;
        }
    }

    async Task ReadEvents()
    {
        try
        {
            while (await _process.StandardOutput.ReadLineAsync() is { } line)
            {
                if (!line.StartsWith('{'))
                    continue; // the first-run banner and other plain text
                JsonNode? node;
                try
                {
                    node = JsonNode.Parse(line);
                }
                catch (JsonException)
                {
                    continue;
                }
                if (node is JsonObject envelope && envelope.ContainsKey("eventType"))
                    _events.Writer.TryWrite(envelope);
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    string ExitCode()
    {
        try
        {
            return _process.WaitForExit(2000) ? _process.ExitCode.ToString() : "unknown";
        }
        catch (InvalidOperationException)
        {
            return "unknown";
        }
    }

    string StderrTail()
    {
        lock (_stderr)
            return _stderr.Count == 0 ? "" : "; kernel stderr: " + string.Join(" | ", _stderr);
    }

    void Kill()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException) { }
        catch (System.ComponentModel.Win32Exception) { }
    }

    /// <summary>Stops the kernel process and its children.</summary>
    public async ValueTask DisposeAsync()
    {
        Kill();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException) { }
        await Task.WhenAny(_reader, Task.Delay(TimeSpan.FromSeconds(5)));
        _process.Dispose();
    }
}
