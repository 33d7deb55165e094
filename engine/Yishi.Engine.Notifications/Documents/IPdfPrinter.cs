namespace Yishi.Engine.Notifications.Documents;

/// <summary>
/// Turns a complete HTML page (with its print stylesheet, see <see cref="DocumentPage"/>) into a PDF. Implementations
/// may be called concurrently, and never log or keep the page: it holds the parties' personal data.
/// </summary>
public interface IPdfPrinter
{
    /// <summary>Prints the page; throws <see cref="PdfPrinterUnavailableException"/> when the printer is not installed.</summary>
    Task<byte[]> PrintAsync(string html, CancellationToken cancellationToken);
}

/// <summary>The PDF printer cannot run here (e.g. Chromium is not installed); the message says what to install or configure.</summary>
public sealed class PdfPrinterUnavailableException(string message) : Exception(message);
