using System.Net.Http.Headers;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using Yishi.Designer.Api;

namespace Yishi.Server.Designer;

/// <summary>
/// The designer's way into the API: the server's own address, and a bearer token minted for the person signed in to
/// this designer session (their cookie's claims, for five minutes). The designer then meets the same authorization,
/// validation and concurrency checks as any other client.
/// </summary>
internal sealed class DesignerBackend(AuthenticationStateProvider authentication, IOptionsMonitor<BearerTokenOptions> bearer, TimeProvider clock,
    IHttpClientFactory clients, IServer server, IOptions<DesignerOptions> options) : IDesignerBackend
{
    public const string ClientName = "yishi-designer";

    public async Task<HttpClient> ClientAsync(CancellationToken cancellationToken)
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (user.Identity?.IsAuthenticated != true)
        {
            throw new InvalidOperationException("The designer is used signed in.");
        }

        var identity = new ClaimsIdentity(user.Claims, IdentityConstants.BearerScheme, ClaimTypes.Name, ClaimTypes.Role);
        var ticket = new AuthenticationTicket(new ClaimsPrincipal(identity), new AuthenticationProperties { ExpiresUtc = clock.GetUtcNow().AddMinutes(5) },
            IdentityConstants.BearerScheme);
        var client = clients.CreateClient(ClientName);
        client.BaseAddress = ApiBase();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer.Get(IdentityConstants.BearerScheme).BearerTokenProtector.Protect(ticket));
        return client;
    }

    /// <summary>The configured address, or the one this server listens on (a wildcard host read as loopback).</summary>
    private Uri ApiBase()
    {
        if (options.Value.ApiBase is { Length: > 0 } configured)
        {
            return new Uri(configured.EndsWith('/') ? configured : configured + "/");
        }

        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal)) ?? addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The server listens on no address; set Yishi:Designer:ApiBase.");
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "127.0.0.1";
        }

        uri.Path = "/";
        return uri.Uri;
    }
}

/// <summary>The <c>Yishi:Designer</c> settings.</summary>
public sealed class DesignerOptions
{
    /// <summary>The API's address as the server reaches itself; empty for the address it listens on.</summary>
    public string? ApiBase { get; set; }
}
