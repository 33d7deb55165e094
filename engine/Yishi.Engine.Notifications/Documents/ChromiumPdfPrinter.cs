using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Yishi.Engine.Notifications.Documents;

/// <summary>
/// Prints HTML to PDF with headless Chromium, one browser process per page. Each print gets a private temporary
/// folder (page, PDF, browser profile, crash reports) that is deleted afterwards, so concurrent prints share nothing
/// and no copy of the document's personal data is left on disk.
/// </summary>
public sealed partial class ChromiumPdfPrinter : IPdfPrinter
{
    /// <summary>Where Debian, Ubuntu and Google's packages put the browser, in the order they are tried.</summary>
    internal static readonly IReadOnlyList<string> WellKnownPaths = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private static readonly Encoding Utf8WithoutBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);

    private readonly ChromiumOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<ChromiumPdfPrinter> _logger;
    private readonly IReadOnlyList<string> _wellKnownPaths;

    /// <summary>Creates the printer; Chromium is looked for at each print, so a missing browser fails the print, not the host.</summary>
    public ChromiumPdfPrinter(IOptions<ChromiumOptions> options, TimeProvider clock, ILogger<ChromiumPdfPrinter> logger)
        : this(options.Value, clock, logger, WellKnownPaths)
    {
    }

    internal ChromiumPdfPrinter(ChromiumOptions options, TimeProvider clock, ILogger<ChromiumPdfPrinter> logger, IReadOnlyList<string> wellKnownPaths)
    {
        _options = options;
        _clock = clock;
        _logger = logger;
        _wellKnownPaths = wellKnownPaths;
    }

    /// <inheritdoc />
    /// <exception cref="PdfPrinterUnavailableException">Chromium is not installed, or cannot be started.</exception>
    /// <exception cref="TimeoutException">Chromium took longer than <see cref="ChromiumOptions.Timeout"/>; it was stopped.</exception>
    /// <exception cref="InvalidOperationException">Chromium failed; the message ends with the tail of its error output.</exception>
    public async Task<byte[]> PrintAsync(string html, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(html);
        var executable = FindExecutable(_options.ExecutablePath, _wellKnownPaths);

        // Created before the first await, so the time limit counts from the call.
        using var timeout = new CancellationTokenSource(_options.Timeout, _clock);
        var started = _clock.GetTimestamp();
        var folder = Directory.CreateTempSubdirectory("yishi-pdf-");
        try
        {
            var page = Path.Combine(folder.FullName, "document.html");
            var pdf = Path.Combine(folder.FullName, "document.pdf");
            await File.WriteAllTextAsync(page, html, Utf8WithoutBom, cancellationToken);

            ChromiumRun.Result run;
            try
            {
                run = await ChromiumRun.RunAsync(executable, Arguments(folder.FullName, page, pdf), ChromiumEnvironment(folder.FullName), timeout.Token, cancellationToken);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                LogTimedOut(_logger, _options.Timeout);
                throw new TimeoutException($"Chromium did not print the page within {_options.Timeout.TotalSeconds:0.#} s and was stopped.");
            }

            var output = new FileInfo(pdf);
            if (run.ExitCode != 0 || !output.Exists || output.Length == 0)
            {
                var what = run.ExitCode != 0 ? $"exited with code {run.ExitCode}" : "exited without writing a PDF";
                LogFailed(_logger, run.ExitCode, run.ErrorTail);
                throw new InvalidOperationException($"Chromium ({executable}) {what}. Its last error output:\n{run.ErrorTail}");
            }

            var bytes = await File.ReadAllBytesAsync(pdf, cancellationToken);
            var elapsed = _clock.GetElapsedTime(started);
            LogPrinted(_logger, bytes.Length, elapsed.TotalMilliseconds);
            return bytes;
        }
        finally
        {
            Delete(folder);
        }
    }

    /// <summary>The executable to run: the configured one, which must exist, else the first well-known path that does.</summary>
    internal static string FindExecutable(string? configuredPath, IReadOnlyList<string> wellKnownPaths)
    {
        if (!string.IsNullOrWhiteSpace(configuredPath))
        {
            // No fallback: printing with another browser than the one configured would hide a deployment mistake.
            return File.Exists(configuredPath)
                ? configuredPath
                : throw new PdfPrinterUnavailableException(
                    $"Chromium is configured at '{configuredPath}' ({ChromiumOptions.SectionName}:ExecutablePath), but that file does not exist. "
                    + "Fix the path, or remove the setting to use the system's Chromium (apt-get install chromium fonts-arphic-uming fonts-wqy-microhei fonts-noto-cjk).");
        }

        return wellKnownPaths.FirstOrDefault(File.Exists)
            ?? throw new PdfPrinterUnavailableException(
                $"Chromium is needed to print documents to PDF and was not found at {string.Join(", ", wellKnownPaths)}. "
                + $"Install it with 'apt-get install chromium fonts-arphic-uming fonts-wqy-microhei fonts-noto-cjk', or set {ChromiumOptions.SectionName}:ExecutablePath to its path.");
    }

    internal static IReadOnlyList<string> Arguments(string folder, string page, string pdf) =>
    [
        // Chromium 112+ reads a bare --headless as the new headless mode (the only one left since 132).
        "--headless",
        // The setuid/namespace sandbox cannot start as root or inside most containers; what Chromium opens here is
        // our own page, under a Content-Security-Policy that forbids scripts and fetches (DocumentPage).
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-pdf-header-footer",
        // A profile of its own: Chromium hands a second launch on a shared profile to the running browser, which
        // would then print nothing for it.
        $"--user-data-dir={Path.Combine(folder, "profile")}",
        $"--print-to-pdf={pdf}",
        new Uri(page).AbsoluteUri,
    ];

    // Crashpad keeps its reports under the config home (~/.config/chromium), not the --user-data-dir; a renderer's
    // crash dump holds pieces of the page, so it goes in the folder that is deleted.
    private static Dictionary<string, string> ChromiumEnvironment(string folder) => new() { ["CHROME_CONFIG_HOME"] = Path.Combine(folder, "config") };

    private void Delete(DirectoryInfo folder)
    {
        try
        {
            folder.Delete(recursive: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogNotDeleted(_logger, folder.FullName, exception);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Printed a PDF of {Bytes} bytes in {ElapsedMilliseconds:0} ms")]
    private static partial void LogPrinted(ILogger logger, int bytes, double elapsedMilliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chromium failed to print (exit code {ExitCode}): {ErrorTail}")]
    private static partial void LogFailed(ILogger logger, int exitCode, string errorTail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chromium did not print within {Timeout} and was stopped")]
    private static partial void LogTimedOut(ILogger logger, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "The temporary print folder {Folder} could not be deleted; it holds a document's personal data")]
    private static partial void LogNotDeleted(ILogger logger, string folder, Exception exception);
}
