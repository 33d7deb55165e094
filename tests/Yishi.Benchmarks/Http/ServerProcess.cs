using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Yishi.Benchmarks.Http;

/// <summary>
/// The real server, as its own process on a loopback port the OS picks, with a fresh data folder and demo users.
/// </summary>
internal sealed partial class ServerProcess : IAsyncDisposable
{
    private const string DatabaseName = "yishi.db";
    private readonly Process _process;
    private readonly ScratchFolder _scratch;

    private ServerProcess(Process process, ScratchFolder scratch, Uri address)
    {
        _process = process;
        _scratch = scratch;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The server's SQLite file, for a benchmark that reads or signs in against the same database.</summary>
    public string DatabaseFile => _scratch.File(DatabaseName);

    /// <summary>The server's process id, for <c>dotnet-trace collect -p</c>.</summary>
    public int ProcessId => _process.Id;

    /// <summary>The server's CPU time so far (all threads), to tell a busy server from a waiting one.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    public static async Task<ServerProcess> StartAsync(CancellationToken cancellationToken)
    {
        var scratch = ScratchFolder.Create();
        Directory.CreateDirectory(scratch.File("workflows"));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(ServerDll());
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Urls"] = "http://127.0.0.1:0";
        start.Environment["Database__ConnectionString"] = $"Data Source={scratch.File(DatabaseName)}";
        start.Environment["Yishi__DemoMode"] = "true";
        start.Environment["Yishi__WorkflowsFolder"] = scratch.File("workflows");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("The server did not start.");
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && ListeningLine().Match(line) is { Success: true } match)
            {
                address.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var ready = await Task.WhenAny(address.Task, process.WaitForExitAsync(cancellationToken), Task.Delay(TimeSpan.FromMinutes(2), cancellationToken));
        if (ready != address.Task)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("The server did not report its address.");
        }

        return new ServerProcess(process, scratch, await address.Task);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _scratch.Dispose();
    }

    private static string ServerDll()
    {
        // …/tests/Yishi.Benchmarks/bin/<Configuration>/net10.0/ → …/engine/Yishi.Server/bin/<Configuration>/net10.0/Yishi.Server.dll
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var root = here.Parent!.Parent!.Parent!.Parent!.Parent!.FullName;
        var path = Path.Combine(root, "engine", "Yishi.Server", "bin", here.Parent!.Name, here.Name, "Yishi.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException("Build engine/Yishi.Server first.", path);
    }

    [GeneratedRegex("listening on (?<url>http://\\S+)")]
    private static partial Regex ListeningLine();
}
