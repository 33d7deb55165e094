using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Data;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Identity;

public sealed class SqliteTokenKeys : TokenKeysScenario<SqliteTestDatabase>;

public sealed class PostgreSqlTokenKeys : TokenKeysScenario<PostgreSqlTestDatabase>;

/// <summary>The keys behind tokens live in the database, so every server on it (and a restarted one) accepts them.</summary>
public abstract class TokenKeysScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task TokenIssuedByOneServer_IsAcceptedByAnotherOnTheSameDatabase()
    {
        var first = NewServer();
        using var signedIn = await first.ClientForAsync("mediator", Ct);
        var second = NewServer();
        using var other = second.CreateClient();
        other.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization;

        using var me = await other.GetAsync("/api/me", Ct);

        Assert.Equal("mediator", (await me.ReadJsonAsync(HttpStatusCode.OK, Ct))["userName"]!.GetValue<string>());
        await using var scope = second.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<ServerDbContext>().DataProtectionKeys.AnyAsync(Ct), "The token keys are not in the database.");
    }
}
