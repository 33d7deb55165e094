using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Yishi.Server.Data;

namespace Yishi.Server.Tests.Support;

/// <summary>
/// Bearer tokens made the way the sign-in endpoint makes them (the same claims factory, the same data protection
/// keys), for tests that need hundreds of signed-in residents: the login endpoint allows ten tries a minute from one
/// address, and residents imported from the registry have no password.
/// </summary>
public static class TokenMint
{
    /// <summary>Tokens for the users with these phone numbers, by phone.</summary>
    public static async Task<Dictionary<string, string>> TokensByPhoneAsync(this WebApplicationFactory<Program> server, IReadOnlyCollection<string> phones,
        CancellationToken cancellationToken)
    {
        using var scope = server.Services.CreateScope();
        var users = await scope.ServiceProvider.GetRequiredService<ServerDbContext>().Users.Where(u => phones.Contains(u.PhoneNumber!)).ToListAsync(cancellationToken);
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var user in users)
        {
            tokens[user.PhoneNumber!] = await MintAsync(server, scope, user);
        }

        return tokens;
    }

    /// <summary>A client signed in as the user with this user name (a demo user, or a resident by phone).</summary>
    public static async Task<HttpClient> SignedInClientAsync(this WebApplicationFactory<Program> server, string userName, CancellationToken cancellationToken)
    {
        using var scope = server.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<ServerDbContext>().Users.FirstAsync(u => u.UserName == userName, cancellationToken);
        return server.ClientWith(await MintAsync(server, scope, user));
    }

    private static async Task<string> MintAsync(WebApplicationFactory<Program> server, IServiceScope scope, YishiUser user)
    {
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<YishiUser>>();
        var options = server.Services.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);
        var clock = server.Services.GetRequiredService<TimeProvider>();
        var principal = await signIn.CreateUserPrincipalAsync(user);
        var ticket = new AuthenticationTicket(principal, new AuthenticationProperties { ExpiresUtc = clock.GetUtcNow() + TimeSpan.FromDays(60) },
            IdentityConstants.BearerScheme);
        return options.BearerTokenProtector.Protect(ticket);
    }

    /// <summary>A client that sends <paramref name="token"/>.</summary>
    public static HttpClient ClientWith(this WebApplicationFactory<Program> server, string token)
    {
        var client = server.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
