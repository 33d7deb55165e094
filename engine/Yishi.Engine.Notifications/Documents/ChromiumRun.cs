using System.ComponentModel;
using System.Diagnostics;

namespace Yishi.Engine.Notifications.Documents;

/// <summary>One run of the browser: started without a shell, stopped with all its children when time is up.</summary>
internal static class ChromiumRun
{
    /// <summary>How the run ended; <see cref="ErrorTail"/> is the last lines of stderr, for the error message.</summary>
    internal sealed record Result(int ExitCode, string ErrorTail);

    // After a kill the process is waited for so its files can be deleted, but not forever: a process stuck in the
    // kernel must not hold the caller. Real time on purpose, as this is cleanup, not a limit anyone configures.
    private static readonly TimeSpan KillGrace = TimeSpan.FromSeconds(10);

    /// <summary>Runs the executable to its end; throws <see cref="OperationCanceledException"/> (after stopping it) when either token fires.</summary>
    public static async Task<Result> RunAsync(
        string executable,
        IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string> environment,
        CancellationToken timeout,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            CreateNoWindow = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        using var process = new Process { StartInfo = start };
        var errors = new ErrorTail();
        process.ErrorDataReceived += (_, line) => errors.Add(line.Data);
        // Stdout is read only so that a full pipe cannot block the browser; it says nothing the caller needs.
        process.OutputDataReceived += (_, _) => { };

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout, cancellationToken);
        stop.Token.ThrowIfCancellationRequested();
        try
        {
            process.Start();
        }
        catch (Win32Exception exception)
        {
            throw new PdfPrinterUnavailableException($"Chromium at '{executable}' could not be started: {exception.Message}.");
        }

        process.StandardInput.Close();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            await process.WaitForExitAsync(stop.Token);
        }
        catch (OperationCanceledException)
        {
            await StopAsync(process);
            throw;
        }

        return new Result(process.ExitCode, errors.ToString());
    }

    private static async Task StopAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It ended on its own meanwhile.
        }

        using var grace = new CancellationTokenSource(KillGrace);
        try
        {
            await process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            // Left to the system; deleting the temporary folder may fail, and that is logged.
        }
    }

    /// <summary>The last lines of Chromium's stderr, without the noise every run prints.</summary>
    private sealed class ErrorTail
    {
        private const int Lines = 20;
        private readonly Queue<string> _lines = new();
        private readonly Lock _lock = new();

        public void Add(string? line)
        {
            // Without a D-Bus daemon (servers, containers) each run logs a dozen "Failed to connect to the bus" errors
            // that would push the real cause out of the tail.
            if (string.IsNullOrWhiteSpace(line) || line.Contains(":ERROR:dbus/", StringComparison.Ordinal))
            {
                return;
            }

            lock (_lock)
            {
                _lines.Enqueue(line);
                if (_lines.Count > Lines)
                {
                    _lines.Dequeue();
                }
            }
        }

        public override string ToString()
        {
            lock (_lock)
            {
                return _lines.Count == 0 ? "(none)" : string.Join('\n', _lines);
            }
        }
    }
}
