using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Yishi.Engine.Notifications.Documents;

namespace Yishi.Engine.Notifications.Tests.Documents;

/// <summary>How the printer runs Chromium and what it does when Chromium is missing, fails or hangs (a fake Chromium).</summary>
public sealed class ChromiumPdfPrinterFailureTests
{
    private const string WritesPdf = """
        cp "$page" "$dir/page.html"
        printf '%%PDF-1.7 fake' > "$pdf"
        """;

    // The first child is a sleep of its own, so stopping "the process" alone would leave it behind.
    private const string Hangs = """
        sleep 300 &
        echo "$$ $!" > "$dir/pids.tmp" && mv "$dir/pids.tmp" "$dir/pids"
        wait
        """;

    [Fact]
    public async Task PrintAsync_ConfiguredPathMissing_ThrowsUnavailableNamingThePath()
    {
        var missing = Path.Combine(Path.GetTempPath(), "yishi-no-such-dir", "chromium");
        var options = Options.Create(new ChromiumOptions { ExecutablePath = missing });
        var printer = new ChromiumPdfPrinter(options, TimeProvider.System, NullLogger<ChromiumPdfPrinter>.Instance);

        var exception = await Assert.ThrowsAsync<PdfPrinterUnavailableException>(() => printer.PrintAsync("<p>甲方</p>", TestContext.Current.CancellationToken));

        Assert.Contains(missing, exception.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Yishi:Documents:Chromium", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintAsync_NoChromiumInstalled_ThrowsUnavailableSayingWhatToInstall()
    {
        var printer = new ChromiumPdfPrinter(
            new ChromiumOptions(), TimeProvider.System, NullLogger<ChromiumPdfPrinter>.Instance, ["/nonexistent/chromium", "/nonexistent/google-chrome"]);

        var exception = await Assert.ThrowsAsync<PdfPrinterUnavailableException>(() => printer.PrintAsync("<p>甲方</p>", TestContext.Current.CancellationToken));

        Assert.Contains("apt-get install chromium fonts-arphic-uming", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Yishi:Documents:Chromium", exception.Message, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/chromium", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintAsync_ChromiumWritesPdf_ReturnsItAndDeletesTheTemporaryFolder()
    {
        using var chromium = new FakeChromium(WritesPdf);
        const string Html = "<!DOCTYPE html><p>甲方：张三</p>";

        var pdf = await chromium.Printer().PrintAsync(Html, TestContext.Current.CancellationToken);

        Assert.Equal("%PDF-1.7 fake"u8.ToArray(), pdf);
        var arguments = Assert.Single(chromium.Runs());
        Assert.Equal("--headless", arguments[0]);
        Assert.Contains("--no-sandbox", arguments);
        Assert.Contains("--no-pdf-header-footer", arguments);
        Assert.StartsWith("file:///", arguments[^1], StringComparison.Ordinal);
        Assert.Equal(Html, await File.ReadAllTextAsync(Path.Combine(chromium.Folder, "page.html"), TestContext.Current.CancellationToken));
        var work = FakeChromium.WorkFolderOf(arguments);
        Assert.StartsWith(work, Assert.Single(chromium.ConfigHomes()), StringComparison.Ordinal);
        Assert.False(Directory.Exists(work), "The temporary folder, with the page's personal data, was left behind.");
    }

    [Fact]
    public async Task PrintAsync_TwoAtOnce_UseSeparateProfiles()
    {
        using var chromium = new FakeChromium(WritesPdf);
        var printer = chromium.Printer();

        await Task.WhenAll(
            printer.PrintAsync("<p>一</p>", TestContext.Current.CancellationToken),
            printer.PrintAsync("<p>二</p>", TestContext.Current.CancellationToken));

        var profiles = chromium.Runs().Select(arguments => arguments.Single(argument => argument.StartsWith("--user-data-dir=", StringComparison.Ordinal))).ToList();
        Assert.Equal(2, profiles.Count);
        Assert.NotEqual(profiles[0], profiles[1]);
    }

    [Fact]
    public async Task PrintAsync_ChromiumFails_ThrowsWithTheErrorTailButNotThePage()
    {
        using var chromium = new FakeChromium("""
            echo "[1128/054505.229330:ERROR:dbus/bus.cc:405] Failed to connect to the bus" >&2
            echo "FATAL: cannot open display fonts" >&2
            exit 3
            """);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(
            () => chromium.Printer().PrintAsync("<p>身份证号 110101199003070000</p>", TestContext.Current.CancellationToken));

        Assert.Contains("exited with code 3", exception.Message, StringComparison.Ordinal);
        Assert.Contains("FATAL: cannot open display fonts", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("dbus", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("110101199003070000", exception.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(FakeChromium.WorkFolderOf(Assert.Single(chromium.Runs()))));
    }

    [Fact]
    public async Task PrintAsync_ChromiumExitsWithoutPdf_Throws()
    {
        using var chromium = new FakeChromium("exit 0");

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => chromium.Printer().PrintAsync("<p>甲方</p>", TestContext.Current.CancellationToken));

        Assert.Contains("without writing a PDF", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrintAsync_ChromiumHangsPastTheTimeout_StopsItsProcessTreeAndThrowsTimeout()
    {
        using var chromium = new FakeChromium(Hangs);
        var clock = new FakeTimeProvider();
        var printing = chromium.Printer(clock, TimeSpan.FromSeconds(60)).PrintAsync("<p>甲方</p>", TestContext.Current.CancellationToken);
        var processIds = await RunningProcessIdsAsync(chromium);

        clock.Advance(TimeSpan.FromSeconds(61));

        await Assert.ThrowsAsync<TimeoutException>(() => printing);
        await AssertStoppedAsync(processIds);
        Assert.False(Directory.Exists(FakeChromium.WorkFolderOf(Assert.Single(chromium.Runs()))));
    }

    [Fact]
    public async Task PrintAsync_Cancelled_StopsItsProcessTreeAndThrowsCancelled()
    {
        using var chromium = new FakeChromium(Hangs);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var printing = chromium.Printer().PrintAsync("<p>甲方</p>", cancellation.Token);
        var processIds = await RunningProcessIdsAsync(chromium);

        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => printing);
        await AssertStoppedAsync(processIds);
        Assert.False(Directory.Exists(FakeChromium.WorkFolderOf(Assert.Single(chromium.Runs()))));
    }

    private static async Task<int[]> RunningProcessIdsAsync(FakeChromium chromium)
    {
        var line = await chromium.WaitForFileAsync("pids", TestContext.Current.CancellationToken);
        var processIds = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        Assert.All(processIds, processId => Assert.True(FakeChromium.IsRunning(processId)));
        return processIds;
    }

    private static async Task AssertStoppedAsync(int[] processIds)
    {
        // A killed process is gone within milliseconds, but not synchronously with the signal.
        for (var attempt = 0; attempt < 250 && processIds.Any(FakeChromium.IsRunning); attempt++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.All(processIds, processId => Assert.False(FakeChromium.IsRunning(processId), $"Process {processId} was left running."));
    }
}
