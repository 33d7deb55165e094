using Microsoft.Playwright;
using Yishi.Testing;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// The real server as a process of its own (demo data on a fresh SQLite database) and the system's Chromium driven by
/// Playwright. Without Chromium a browser test is skipped with the reason, unless <c>YISHI_REQUIRE_BROWSER=1</c> (.ci/run),
/// where its absence is a failure.
/// </summary>
public sealed class DesignerBrowser : IAsyncDisposable
{
    public const string RequireVariable = "YISHI_REQUIRE_BROWSER";

    private static readonly string[] WellKnownChromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    private readonly string _folder;
    private readonly ServerProcess _server;
    private DelayingProxy? _proxy;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    private DesignerBrowser(string folder, ServerProcess server)
    {
        _folder = folder;
        _server = server;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The server itself, not through the delaying proxy (the same host, so the same sign-in cookie).</summary>
    public Uri ServerAddress { get; private set; } = null!;

    public IPage Page { get; private set; } = null!;

    /// <summary>Where screenshots go: <c>artifacts/screenshots</c> at the repository's root (not committed).</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(RepositoryRoot(), "artifacts", "screenshots");

    /// <summary>Starts the server and the browser, or skips when there is no Chromium and it is not required.</summary>
    /// <param name="cancellationToken">Stops waiting for the server.</param>
    /// <param name="viewport">The browser window; a desktop's by default.</param>
    /// <param name="roundTrip">Added between browser and server (half each way) by a delaying proxy on loopback.</param>
    /// <param name="environment">More server settings, as environment variables (<c>Yishi__Notifications__MaxAttempts</c>).</param>
    public static async Task<DesignerBrowser> StartAsync(CancellationToken cancellationToken, (int Width, int Height)? viewport = null, TimeSpan? roundTrip = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var chromium = WellKnownChromium.FirstOrDefault(File.Exists);
        if (chromium is null)
        {
            Assert.True(Environment.GetEnvironmentVariable(RequireVariable) != "1", $"No Chromium at {string.Join(", ", WellKnownChromium)}, and {RequireVariable}=1 requires it.");
            Assert.Skip($"No Chromium at {string.Join(", ", WellKnownChromium)} (apt-get install chromium). {RequireVariable}=1, as .ci/run sets it, turns this skip into a failure.");
        }

        var folder = Path.Combine(Path.GetTempPath(), "yishi-designer-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(folder, "workflows"));
        // The shipped workflows, as a fresh server imports them: a designer changes them and their cases are migrated.
        foreach (var shipped in Directory.GetFiles(Path.Combine(RepositoryRoot(), "workflows"), "*.json"))
        {
            File.Copy(shipped, Path.Combine(folder, "workflows", Path.GetFileName(shipped)));
        }
        var settings = ServerProcess.Settings("Sqlite", $"Data Source={Path.Combine(folder, "yishi.db")}", folder);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            settings[name] = value;
        }

        var server = new ServerProcess(settings);
        var session = new DesignerBrowser(folder, server);
        try
        {
            session.BaseAddress = session.ServerAddress = await server.WaitUntilListeningAsync(TimeSpan.FromSeconds(90), cancellationToken);
            if (roundTrip is { } delay)
            {
                session._proxy = new DelayingProxy(session.BaseAddress, delay / 2);
                session.BaseAddress = session._proxy.Address;
            }

            session._playwright = await Playwright.CreateAsync();
            session._browser = await session._playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = chromium, Headless = true });
            var context = await session._browser.NewContextAsync(new BrowserNewContextOptions
            {
                BaseURL = session.BaseAddress.ToString(),
                ViewportSize = new ViewportSize { Width = viewport?.Width ?? 1440, Height = viewport?.Height ?? 900 },
                Locale = "zh-CN",
            });
            context.SetDefaultTimeout(30_000);
            session.Page = await context.NewPageAsync();
            return session;
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    /// <summary>Signs in through the staff sign-in page, on the way to <paramref name="page"/> (the designer by default).</summary>
    public async Task SignInAsync(string userName, string password = "Demo123!", string page = "designer")
    {
        await Page.GotoAsync(page);
        await Page.WaitForURLAsync("**/login**");
        await Page.Locator("#user-name").FillAsync(userName);
        await Page.Locator("#password").FillAsync(password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await Page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }

    /// <summary>
    /// Starts a case as <paramref name="userName"/> would from the workbench or an integration, over the API: the
    /// designer does not start cases, but a case is what it views and migrates.
    /// </summary>
    public async Task<string> StartCaseAsync(string userName, string definitionId, string inputJson, CancellationToken cancellationToken)
    {
        using var client = await this.ApiAsync(userName, cancellationToken);
        var started = await client.SendJsonAsync(HttpMethod.Post, "api/instances",
            System.Text.Json.Nodes.JsonNode.Parse($$"""{"definitionId":"{{definitionId}}","input":{{inputJson}}}"""), cancellationToken);
        return started["id"]!.GetValue<string>();
    }

    /// <summary>A page in a browser context of its own (its own cookies): a second person at another computer.</summary>
    public async Task<IPage> NewPersonAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1440, Height = 900 }, Locale = "zh-CN",
        });
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    /// <summary>Saves a screenshot of the page as <c>artifacts/screenshots/&lt;name&gt;.png</c>; answers its path.</summary>
    public async Task<string> ScreenshotAsync(string name)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = path });
        return path;
    }

    public IReadOnlyList<string> ServerOutput => _server.Output;

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        if (_proxy is not null)
        {
            await _proxy.DisposeAsync();
        }

        _server.Dispose();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left for the OS to clean.
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workflow.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Workflow.sln not found above the test's folder.");
    }
}
