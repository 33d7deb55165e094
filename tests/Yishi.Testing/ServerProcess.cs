using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Yishi.Testing;

/// <summary>
/// The built server (<c>engine/Yishi.Server/bin/&lt;Configuration&gt;/net10.0/Yishi.Server.dll</c>, built by the
/// project reference) as a process of its own, on a port the OS picks; adapted from the EF Core tests' <c>TestHostProcess</c>.
/// </summary>
public sealed partial class ServerProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ServerProcess(IReadOnlyDictionary<string, string> environment)
    {
        var dll = ServerPath();
        // The content root is the working directory: the server's own folder, where its appsettings*.json are.
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        _process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            Keep(e.Data);
            if (ListeningLine().Match(e.Data) is { Success: true } match)
            {
                _listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Keep("stderr: " + e.Data);
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

    /// <summary>Waits for "Yishi is listening on …" and answers that address (or fails with what it printed if it exits first).</summary>
    public async Task<Uri> WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var exited = _process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(_listening.Task, exited, Task.Delay(timeout, cancellationToken));
        if (first != _listening.Task)
        {
            throw new InvalidOperationException($"The server did not listen{(_process.HasExited ? $" (exit code {_process.ExitCode})" : "")}: {string.Join(Environment.NewLine, Output)}");
        }

        return await _listening.Task;
    }

    public bool HasExited => _process.HasExited;

    /// <summary>Kills the process as a crash would: no shutdown, nothing flushed.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    /// <summary>The environment of a demo-mode server on a database, with an empty workflows folder under <paramref name="folder"/>.</summary>
    public static Dictionary<string, string> Settings(string provider, string connectionString, string folder) => new(StringComparer.Ordinal)
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Development",
        ["Database__Provider"] = provider,
        ["Database__ConnectionString"] = connectionString,
        ["Yishi__WorkflowsFolder"] = Path.Combine(folder, "workflows"),
    };

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    private void Keep(string line)
    {
        lock (_output)
        {
            _output.Add(line);
        }
    }

    private static string ServerPath()
    {
        // …/tests/Yishi.Server.Tests/bin/<Configuration>/net10.0/ → …/engine/Yishi.Server/bin/<Configuration>/net10.0/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var framework = here.Name;
        var configuration = here.Parent!.Name;
        var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(root, "engine", "Yishi.Server", "bin", configuration, framework, "Yishi.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build engine/Yishi.Server first.", path);
    }

    [GeneratedRegex(@"Yishi is listening on (?<url>http://\S+)")]
    private static partial Regex ListeningLine();
}
