using System.Diagnostics;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Durability;

/// <summary>Runs tests/Yishi.Engine.TestHost as a separate process (built by the project reference).</summary>
public sealed class TestHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TestHostProcess(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(HostPath());
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("The test host did not start.");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (_output)
            {
                _output.Add(e.Data);
            }

            if (e.Data == "ready")
            {
                _ready.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_output)
                {
                    _output.Add("stderr: " + e.Data);
                }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public IReadOnlyList<string> Output
    {
        get
        {
            lock (_output)
            {
                return [.. _output];
            }
        }
    }

    /// <summary>Waits for the host to print "ready" (or fails with what it printed if it exits first).</summary>
    public async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var exited = _process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(_ready.Task, exited, Task.Delay(timeout, cancellationToken));
        if (first != _ready.Task)
        {
            throw new InvalidOperationException($"The test host was not ready: {string.Join(" | ", Output)}");
        }
    }

    /// <summary>SIGKILL: no chance to flush, close or roll back anything.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        await _process.WaitForExitAsync(limit.Token);
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static string HostPath()
    {
        // …/tests/Yishi.Engine.EntityFrameworkCore.Tests/bin/<Configuration>/net10.0/ → …/tests/Yishi.Engine.TestHost/bin/<Configuration>/net10.0/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var tests = here.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(tests, "Yishi.Engine.TestHost", "bin", configuration, framework, "Yishi.Engine.TestHost.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build tests/Yishi.Engine.TestHost first.", path);
    }
}
