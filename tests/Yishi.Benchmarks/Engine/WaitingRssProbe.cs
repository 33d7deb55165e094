using System.Diagnostics;
using System.Globalization;

namespace Yishi.Benchmarks.Engine;

/// <summary>
/// Memory held by waiting instances, each figure taken in its own child process.
/// Why a child per figure: by the time the suite gets here this process has run Yishi, SQLite and WorkflowCore
/// rounds. The GC keeps the heap it has grown, SQLite keeps its page cache and the allocator keeps freed native
/// memory, so RSS rarely falls back; an in-process "none waiting" figure would carry all of that and the
/// difference would say more about the earlier rounds than about waiting instances. Two fresh processes that
/// differ only in the number waiting isolate what those instances cost.
/// </summary>
internal static class WaitingRssProbe
{
    public const string Command = "rss-probe";

    private const string ResultPrefix = "rss_mb=";
    private const int NotImplementedExitCode = 3;

    /// <summary>Runs the probe in a child process; returns null while the Yishi measurement is not implemented.</summary>
    public static async Task<double?> MeasureInChildAsync(int waiting, CancellationToken cancellationToken)
    {
        using var scratch = ScratchFolder.Create();
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("The benchmark cannot find its own executable."),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Run as `dotnet Yishi.Benchmarks.dll` the process path is the dotnet host, which needs the assembly named.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Yishi.Benchmarks.dll"));
        }

        start.ArgumentList.Add(Command);
        start.ArgumentList.Add(waiting.ToString(CultureInfo.InvariantCulture));
        start.ArgumentList.Add(scratch.File("rss.db"));

        using var child = Process.Start(start) ?? throw new InvalidOperationException("The RSS probe did not start.");
        try
        {
            var output = child.StandardOutput.ReadToEndAsync(cancellationToken);
            var errors = child.StandardError.ReadToEndAsync(cancellationToken);
            await child.WaitForExitAsync(cancellationToken);

            if (child.ExitCode == NotImplementedExitCode)
            {
                return null;
            }

            var result = (await output).Split('\n').LastOrDefault(line => line.StartsWith(ResultPrefix, StringComparison.Ordinal));
            if (child.ExitCode != 0 || result is null)
            {
                throw new InvalidOperationException($"The RSS probe ({waiting} waiting) failed with exit code {child.ExitCode}: {await errors}");
            }

            return double.Parse(result.AsSpan(ResultPrefix.Length), NumberStyles.Float, CultureInfo.InvariantCulture);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>The child's side: `rss-probe WAITING DB_PATH`; prints `rss_mb=X` as its last line.</summary>
    public static async Task<int> RunChildAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var waiting = int.Parse(args[0], CultureInfo.InvariantCulture);
        try
        {
            var megabytes = await YishiEngineBenchmark.MeasureRssWithWaitingAsync(waiting, args[1], cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{ResultPrefix}{megabytes}"));
            return 0;
        }
        catch (NotImplementedException)
        {
            return NotImplementedExitCode;
        }
    }
}
