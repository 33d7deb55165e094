using Microsoft.Extensions.Logging.Abstractions;
using Yishi.Engine.Notifications.Documents;

namespace Yishi.Engine.Notifications.Tests.Documents;

/// <summary>
/// A shell script standing in for Chromium, so that failures, hangs and clean-up can be tested without a browser.
/// It records each run's arguments and environment in its folder, then does what the test asks.
/// </summary>
internal sealed class FakeChromium : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("yishi-fake-chromium-");

    /// <param name="behaviour">Shell lines run after the arguments are parsed; <c>$pdf</c>, <c>$page</c> and <c>$dir</c> are set.</param>
    public FakeChromium(string behaviour)
    {
        ExecutablePath = Path.Combine(_folder.FullName, "chromium");
        var script = $$"""
            #!/bin/sh
            dir='{{_folder.FullName}}'
            printf '%s\n' "$@" > "$dir/run-$$.args"
            printf '%s\n' "$CHROME_CONFIG_HOME" > "$dir/run-$$.config-home"
            for argument in "$@"; do
              case "$argument" in
                --print-to-pdf=*) pdf="${argument#--print-to-pdf=}" ;;
                file://*) page="${argument#file://}" ;;
              esac
            done
            {{behaviour}}

            """;
        if (OperatingSystem.IsWindows())
        {
            _folder.Delete(recursive: true);
            Assert.Skip("The fake Chromium is a POSIX shell script.");
        }
        else
        {
            File.WriteAllText(ExecutablePath, script.ReplaceLineEndings("\n"));
            File.SetUnixFileMode(ExecutablePath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public string ExecutablePath { get; }

    /// <summary>Where the behaviour may leave files for the test (<c>$dir</c> in the script).</summary>
    public string Folder => _folder.FullName;

    public ChromiumPdfPrinter Printer(TimeProvider? clock = null, TimeSpan? timeout = null) =>
        new(
            new ChromiumOptions { ExecutablePath = ExecutablePath, Timeout = timeout ?? TimeSpan.FromSeconds(60) },
            clock ?? TimeProvider.System,
            NullLogger<ChromiumPdfPrinter>.Instance,
            ChromiumPdfPrinter.WellKnownPaths);

    /// <summary>The arguments of each run so far.</summary>
    public IReadOnlyList<string[]> Runs() =>
        _folder.GetFiles("run-*.args").Select(file => File.ReadAllLines(file.FullName)).ToList();

    /// <summary>The <c>CHROME_CONFIG_HOME</c> each run saw.</summary>
    public IReadOnlyList<string> ConfigHomes() =>
        _folder.GetFiles("run-*.config-home").Select(file => File.ReadAllText(file.FullName).Trim()).ToList();

    /// <summary>Waits until the script has written <paramref name="name"/> (which it must do with a rename, so it is whole).</summary>
    public async Task<string> WaitForFileAsync(string name, CancellationToken cancellationToken)
    {
        // Polling a process's progress, not a timer: the deadline only stops a broken script from hanging the run.
        var path = Path.Combine(_folder.FullName, name);
        for (var attempt = 0; attempt < 1500 && !File.Exists(path); attempt++)
        {
            await Task.Delay(20, cancellationToken);
        }

        return File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : throw new TimeoutException($"The fake Chromium never wrote {name}.");
    }

    /// <summary>The temporary folder of a run: the parent of its <c>--user-data-dir</c>.</summary>
    public static string WorkFolderOf(string[] arguments) =>
        Path.GetDirectoryName(arguments.Single(argument => argument.StartsWith("--user-data-dir=", StringComparison.Ordinal))["--user-data-dir=".Length..])!;

    /// <summary>Whether a process is alive; an exited child that nobody reaped yet (a zombie) is not.</summary>
    public static bool IsRunning(int processId)
    {
        try
        {
            // /proc/<pid>/stat is "pid (name) state …"; the name may hold spaces, the state follows the last ')'.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException or IOException)
        {
            return false;
        }
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
