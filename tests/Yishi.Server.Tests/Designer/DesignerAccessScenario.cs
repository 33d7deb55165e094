using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Designer;

public sealed class SqliteDesignerAccess : DesignerAccessScenario<SqliteTestDatabase>;

/// <summary>
/// The designer's pages are for signed-in designers: anyone else is sent to its sign-in page (a resident with a note
/// that their account may not design), never shown a page or an API error. The scripts it needs load without signing in.
/// </summary>
public abstract class DesignerAccessScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false, HandleCookies = true };

    private static async Task<HttpClient> CookieClientAsync(YishiFactory server, string userName)
    {
        var client = server.CreateClient(NoRedirects);
        using var login = await client.PostAsJsonAsync("/api/auth/login?useCookies=true", new { userName, password = YishiFactory.DemoPassword }, Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return client;
    }

    [Fact]
    public async Task Anonymous_IsSentToSignIn_WithTheWayBack()
    {
        var server = NewServer();
        using var anonymous = server.CreateClient(NoRedirects);

        using var page = await anonymous.GetAsync("/designer/workflows/dispute-mediation", Ct);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Equal("/login?returnUrl=designer%2Fworkflows%2Fdispute-mediation", page.Headers.Location!.OriginalString);
        using var login = await anonymous.GetAsync("/designer/login", Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        using var script = await anonymous.GetAsync("/_framework/blazor.web.js", Ct);
        Assert.Equal(HttpStatusCode.OK, script.StatusCode);
    }

    [Fact]
    public async Task AResident_IsToldTheirAccountMayNotDesign_AndADesignerGetsThePage()
    {
        var server = NewServer();
        using var resident = await CookieClientAsync(server, "resident1");
        using var refused = await resident.GetAsync("/designer", Ct);
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/login?denied=1", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);

        using var designer = await CookieClientAsync(server, "staff");
        using var page = await designer.GetAsync("/designer", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("_framework/blazor.web.js", await page.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        // The API keeps answering 401, not a redirect.
        using var anonymous = server.CreateClient(NoRedirects);
        using var api = await anonymous.GetAsync("/api/definitions", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
    }
}
