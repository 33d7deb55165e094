using System.Net;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Identity;

public sealed class SqliteStaffDirectory : StaffDirectoryScenario<SqliteTestDatabase>;

public sealed class PostgreSqlStaffDirectory : StaffDirectoryScenario<PostgreSqlTestDatabase>;

/// <summary>A designer finds a task's assignee among the staff of their own units, masked; residents and other units stay out of sight.</summary>
public abstract class StaffDirectoryScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static async Task<JsonArray> SearchAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/staff" + query, Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
    }

    [Fact]
    public async Task ADesigner_FindsStaffByName_Masked_WithTheirRoles()
    {
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);

        var found = await SearchAsync(staff, "?search=" + Uri.EscapeDataString("王调解"));

        var mediator = Assert.Single(found)!;
        Assert.Equal(await server.UserIdAsync("mediator", Ct), mediator["id"]!.GetValue<string>());
        Assert.Equal("王**", mediator["displayName"]!.GetValue<string>());
        Assert.Equal("c1", mediator["orgUnitId"]!.GetValue<string>());
        Assert.Equal(["mediator"], mediator["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.DoesNotContain("王调解", found.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADesigner_SeesOnlyTheirOwnUnitsAndBelow_AndNoResidents()
    {
        var server = NewServer();
        await server.CreateUserAsync("designer-c1", "c1", "designer", Ct);
        using var designer = await server.ClientForAsync("designer-c1", Ct);

        var everyone = await SearchAsync(designer, "");
        var mediators = await SearchAsync(designer, "?role=mediator");

        var units = everyone.Select(m => m!["orgUnitId"]!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);
        Assert.All(units, u => Assert.StartsWith("c1", u, StringComparison.Ordinal));
        Assert.DoesNotContain(everyone, m => m!["roles"]!.AsArray().Any(r => r!.GetValue<string>() == "resident"));
        // mediator works in c1, mediator2 in c2: only the first is in reach.
        Assert.Equal([await server.UserIdAsync("mediator", Ct)], mediators.Select(m => m!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AResidentOrAMediator_MayNotSearch()
    {
        var server = NewServer();
        using var resident = await server.ClientForAsync("resident1", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var refusedResident = await resident.GetAsync("/api/staff?search=王", Ct);
        using var refusedMediator = await mediator.GetAsync("/api/staff?search=王", Ct);

        Assert.Equal(HttpStatusCode.Forbidden, refusedResident.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refusedMediator.StatusCode);
    }
}
