using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Server.Data;
using Yishi.Server.Identity;

namespace Yishi.Server.ApiKeys;

/// <summary>Authenticates a request that carries <c>X-Api-Key</c>: a revoked or unknown key is refused.</summary>
internal sealed class ApiKeyAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string Header = "X-Api-Key";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Headers[Header].ToString();
        if (key.Length == 0)
        {
            return AuthenticateResult.NoResult();
        }

        if (!ApiKeySecrets.TryParse(key, out var id, out var secret))
        {
            return AuthenticateResult.Fail("The API key is malformed.");
        }

        // Resolved only for requests that carry a key: a database context per request costs the rest of the API dearly.
        var db = Context.RequestServices.GetRequiredService<ServerDbContext>();
        var stored = await db.ApiKeys.AsNoTracking().FirstOrDefaultAsync(k => k.Id == id, Context.RequestAborted);
        if (stored is null || stored.RevokedAt is not null || !ApiKeySecrets.Matches(secret, stored.SecretHash))
        {
            return AuthenticateResult.Fail("The API key is unknown or revoked.");
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, "apikey:" + stored.Id),
            new(ClaimTypes.Name, stored.Name),
            new(YishiClaims.OrgUnit, stored.OrgUnitId),
            new(YishiClaims.OrgPath, await Context.RequestServices.GetRequiredService<OrgUnits.OrgUnitDirectory>().PathOfAsync(stored.OrgUnitId, Context.RequestAborted) ?? ""),
        };
        claims.AddRange(stored.Permissions.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => new Claim(ApiKeyPermissions.ClaimType, p)));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }
}
