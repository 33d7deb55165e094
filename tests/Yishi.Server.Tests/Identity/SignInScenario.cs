using System.Net;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Identity;

public sealed class SqliteSignIn : SignInScenario<SqliteTestDatabase>;

public sealed class PostgreSqlSignIn : SignInScenario<PostgreSqlTestDatabase>;

/// <summary>Signing in, who may call what, and lockout after repeated failures.</summary>
public abstract class SignInScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly HttpStatusCode[] FailedOrLocked = [HttpStatusCode.Unauthorized, (HttpStatusCode)423];

    [Fact]
    public async Task Instances_WithoutToken_Returns401()
    {
        using var anonymous = NewServer().Anonymous();

        using var response = await anonymous.GetAsync("/api/instances", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Resident_OnStaffAndDesignerEndpoints_Returns403ButSeesOwnProfile()
    {
        using var resident = await NewServer().ClientForAsync("resident1", Ct);

        using var definitions = await resident.GetAsync("/api/definitions", Ct);
        using var journal = await resident.GetAsync("/api/instances/any/journal", Ct);
        using var me = await resident.GetAsync("/api/me", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, definitions.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, journal.StatusCode);
        var profile = await me.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal(["resident"], profile["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("c1-g1", profile["orgUnitId"]?.GetValue<string>());
    }

    [Fact]
    public async Task WrongPassword_Returns401SignInFailed()
    {
        var server = NewServer();

        using var response = await server.LogInAsync("mediator", "Demo124!", Ct);

        await response.ReadProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed", Ct);
    }

    [Fact]
    public async Task FiveWrongPasswords_ThenTheRightOne_Returns423LockedOut()
    {
        var server = NewServer();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var wrong = await server.LogInAsync("mediator2", "wrong-" + attempt, Ct);
            await wrong.ReadProblemAsync(HttpStatusCode.Unauthorized, "sign-in-failed", Ct);
        }

        // The fifth failure is the one that locks the account: Identity may already answer "locked".
        using (var fifth = await server.LogInAsync("mediator2", "wrong-5", Ct))
        {
            Assert.Contains(fifth.StatusCode, FailedOrLocked);
        }

        using var right = await server.LogInAsync("mediator2", YishiFactory.DemoPassword, Ct);
        await right.ReadProblemAsync((HttpStatusCode)423, "locked-out", Ct);
        // Another account from the same address is not affected.
        using var other = await server.LogInAsync("mediator", YishiFactory.DemoPassword, Ct);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Me_ReturnsRolesAndOrgUnit()
    {
        var server = NewServer();
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var admin = await server.ClientForAsync("admin", Ct);

        using var mediatorMe = await mediator.GetAsync("/api/me", Ct);
        using var adminMe = await admin.GetAsync("/api/me", Ct);

        var profile = await mediatorMe.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal("mediator", profile["userName"]?.GetValue<string>());
        Assert.Equal(["mediator"], profile["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("c1", profile["orgUnitId"]?.GetValue<string>());
        var adminProfile = await adminMe.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal(["admin"], adminProfile["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal("s1", adminProfile["orgUnitId"]?.GetValue<string>());
        Assert.NotEqual(profile["id"]?.GetValue<string>(), adminProfile["id"]?.GetValue<string>());
    }
}
