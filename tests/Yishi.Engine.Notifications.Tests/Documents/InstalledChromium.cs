using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Yishi.Engine.Notifications.Documents;

namespace Yishi.Engine.Notifications.Tests.Documents;

/// <summary>
/// The system's Chromium, for the tests that print for real. Without it a test is skipped with the reason, unless
/// <c>YISHI_TEST_CHROMIUM=required</c> (.ci/run), where its absence is a failure.
/// </summary>
internal static class InstalledChromium
{
    public const string RequireVariable = "YISHI_TEST_CHROMIUM";

    /// <summary>A printer on the installed Chromium, or a skip (or a failure when Chromium is required).</summary>
    public static ChromiumPdfPrinter PrinterOrSkip(TimeSpan? timeout = null)
    {
        var path = PathOrSkip();
        var options = new ChromiumOptions { ExecutablePath = path, Timeout = timeout ?? TimeSpan.FromSeconds(60) };
        return new ChromiumPdfPrinter(Options.Create(options), TimeProvider.System, NullLogger<ChromiumPdfPrinter>.Instance);
    }

    private static string PathOrSkip()
    {
        try
        {
            return ChromiumPdfPrinter.FindExecutable(configuredPath: null, ChromiumPdfPrinter.WellKnownPaths);
        }
        catch (PdfPrinterUnavailableException exception) when (Environment.GetEnvironmentVariable(RequireVariable) != "required")
        {
            Assert.Skip($"{exception.Message} ({RequireVariable}=required, as .ci/run sets it, turns this skip into a failure.)");
            throw;
        }
    }
}
