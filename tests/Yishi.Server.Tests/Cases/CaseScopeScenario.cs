using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Cases;

public sealed class SqliteCaseScope : CaseScopeScenario<SqliteTestDatabase>;

public sealed class PostgreSqlCaseScope : CaseScopeScenario<PostgreSqlTestDatabase>;

/// <summary>
/// A case belongs to an org unit: staff of that unit and the units above work it, staff of a sibling community
/// do not even learn it exists, and residents see only the cases they are party to.
/// </summary>
public abstract class CaseScopeScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task CaseOfOneCommunity_IsInvisibleToTheOther_AndVisibleAbove()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("scoped"), "scoped", Ct);
        var (instanceId, taskId) = await server.StartAsync("scoped", Ct); // mediator of c1
        using var heping = await server.ClientForAsync("mediator2", Ct); // mediator of c2
        using var supervisor = await server.ClientForAsync("supervisor", Ct); // street s1

        using var get = await heping.GetAsync($"/api/instances/{instanceId}", Ct);
        using var journal = await heping.GetAsync($"/api/instances/{instanceId}/journal", Ct);
        using var claim = await heping.PostAsync($"/api/tasks/{taskId}/claim", null, Ct);
        using var complete = await heping.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "agreed", data = new { agreement = "同意" } }, Ct);
        using var cancel = await heping.PostAsJsonAsync($"/api/instances/{instanceId}/cancel", new { reason = "not mine" }, Ct);
        using var task = await heping.GetAsync($"/api/tasks/{taskId}", Ct);
        var hepingInstances = await ListAsync(heping, "/api/instances");
        var hepingTasks = await ListAsync(heping, "/api/tasks");
        var hepingInbox = await ListAsync(heping, "/api/tasks?mine=true");
        var streetInstances = await ListAsync(supervisor, "/api/instances");
        var streetTasks = await ListAsync(supervisor, "/api/tasks");

        await get.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await journal.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await claim.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await complete.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await cancel.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await task.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        Assert.DoesNotContain(instanceId, hepingInstances);
        Assert.DoesNotContain(taskId, hepingTasks);
        Assert.DoesNotContain(taskId, hepingInbox);
        Assert.Contains(instanceId, streetInstances);
        Assert.Contains(taskId, streetTasks);
        // The case was left as it was: its own community still completes it.
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var done = await mediator.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "agreed", data = new { agreement = "同意" } }, Ct);
        Assert.Equal("Completed", (await done.ReadJsonAsync(HttpStatusCode.OK, Ct))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task StartingACase_BelongsToTheCallersUnitOrOneBelow_NeverASibling()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("units"), "units", Ct);
        using var staff = await server.ClientForAsync("staff", Ct); // street s1
        using var mediator = await server.ClientForAsync("mediator", Ct); // community c1

        using var forC2 = await staff.PostAsJsonAsync("/api/instances", Start("units", "c2"), Ct);
        using var ownUnit = await mediator.PostAsJsonAsync("/api/instances", Start("units", null), Ct);
        using var grid = await mediator.PostAsJsonAsync("/api/instances", Start("units", "c1-g1"), Ct);
        using var sibling = await mediator.PostAsJsonAsync("/api/instances", Start("units", "c2"), Ct);
        using var nowhere = await mediator.PostAsJsonAsync("/api/instances", Start("units", "no-such-unit"), Ct);

        var c2Case = (await forC2.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
        Assert.Equal("c1", await OrgUnitOfAsync(mediator, (await ownUnit.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>()));
        Assert.Equal("c1-g1", await OrgUnitOfAsync(mediator, (await grid.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>()));
        await sibling.ReadProblemAsync(HttpStatusCode.Forbidden, "outside-your-org-unit", Ct);
        await nowhere.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        using var heping = await server.ClientForAsync("mediator2", Ct);
        Assert.Equal("c2", await OrgUnitOfAsync(heping, c2Case));
    }

    [Fact]
    public async Task Resident_SeesOnlyTheCasesTheyArePartyTo_WithoutOtherPartiesNames()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("parties"), "parties", Ct);
        var applicant = await server.UserIdAsync("resident1", Ct);
        var respondent = await server.UserIdAsync("resident2", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var started = await mediator.PostAsJsonAsync("/api/instances",
            new { definitionId = "parties", input = new JsonObject { ["caseTitle"] = "噪音" }, parties = new[] { new { userId = applicant, role = "applicant" } } }, Ct);
        var caseId = (await started.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
        using var other = await mediator.PostAsJsonAsync("/api/instances", Start("parties", null), Ct);
        var otherCase = (await other.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
        using var resident1 = await server.ClientForAsync("resident1", Ct);
        using var resident2 = await server.ClientForAsync("resident2", Ct);

        var ownList = await ListAsync(resident1, "/api/instances");
        using var ownCase = await resident1.GetAsync($"/api/instances/{caseId}", Ct);
        using var notOwn = await resident1.GetAsync($"/api/instances/{otherCase}", Ct);
        var beforeLink = await ListAsync(resident2, "/api/instances");
        using var link = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { userId = respondent, role = "respondent" }, Ct);
        using var linkAgain = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { userId = respondent, role = "respondent" }, Ct);
        using var badRole = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/parties", new { userId = applicant, role = "Boss!" }, Ct);
        var afterLink = await ListAsync(resident2, "/api/instances");
        using var staffView = await mediator.GetAsync($"/api/instances/{caseId}", Ct);

        Assert.Equal([caseId], ownList);
        var residentView = await ownCase.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Empty(residentView["parties"]!.AsArray());
        await notOwn.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        Assert.Empty(beforeLink);
        Assert.Equal("respondent", (await link.ReadJsonAsync(HttpStatusCode.Created, Ct))["role"]!.GetValue<string>());
        await linkAgain.ReadProblemAsync(HttpStatusCode.Conflict, "already-linked", Ct);
        await badRole.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        Assert.Equal([caseId], afterLink);
        var parties = (await staffView.ReadJsonAsync(HttpStatusCode.OK, Ct))["parties"]!.AsArray();
        Assert.Equal(["applicant", "respondent"], parties.Select(p => p!["role"]!.GetValue<string>()));
        // Staff see parties, but names masked as in every list: the surname and stars.
        Assert.All(parties, p => Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}\*+$", p!["displayName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ApiKeyOfOneCommunity_MessagesOnlyItsOwnWaitingCases()
    {
        var server = NewServer();
        await server.PublishAsync("""
            { "definitionId": "referral", "name": "Hotline referral",
              "activities": [ { "id": "start", "type": "Start" },
                { "id": "wait", "type": "WaitForMessage", "properties": { "message": "hotline.answered" } },
                { "id": "end", "type": "End" } ],
              "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ] }
            """, "referral", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct); // c1
        using var started = await mediator.PostAsJsonAsync("/api/instances", new { definitionId = "referral", correlationKey = "12345-77" }, Ct);
        var caseId = (await started.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
        using var heping = await ApiKeyAsync(server, "c2");
        using var haibin = await ApiKeyAsync(server, "c1");

        using var fromHeping = await heping.PostAsJsonAsync("/api/messages", new { name = "hotline.answered", correlationKey = "12345-77" }, Ct);
        var afterHeping = await StatusOfAsync(mediator, caseId);
        using var fromHaibin = await haibin.PostAsJsonAsync("/api/messages", new { name = "hotline.answered", correlationKey = "12345-77" }, Ct);

        Assert.Empty((await fromHeping.ReadJsonAsync(HttpStatusCode.OK, Ct))["deliveredTo"]!.AsArray());
        Assert.Equal("Waiting", afterHeping);
        Assert.Single((await fromHaibin.ReadJsonAsync(HttpStatusCode.OK, Ct))["deliveredTo"]!.AsArray());
        Assert.Equal("Completed", await StatusOfAsync(mediator, caseId));
    }

    private static readonly string[] PublishOnly = ["messages:publish"];

    private static async Task<HttpClient> ApiKeyAsync(YishiFactory server, string orgUnitId)
    {
        using var admin = await server.ClientForAsync("admin", Ct);
        using var created = await admin.PostAsJsonAsync("/api/admin/api-keys", new { name = "热线 " + orgUnitId, orgUnitId, permissions = PublishOnly }, Ct);
        var key = (await created.ReadJsonAsync(HttpStatusCode.Created, Ct))["key"]!.GetValue<string>();
        var client = server.Anonymous();
        client.DefaultRequestHeaders.Add("X-Api-Key", key);
        return client;
    }

    private static async Task<string> StatusOfAsync(HttpClient client, string instanceId)
    {
        using var response = await client.GetAsync($"/api/instances/{instanceId}", Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct))["status"]!.GetValue<string>();
    }

    private static object Start(string definitionId, string? orgUnitId) =>
        new { definitionId, input = new JsonObject { ["caseTitle"] = "楼道堆物" }, orgUnitId };

    private static async Task<List<string>> ListAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        return [.. (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Select(r => r!["id"]!.GetValue<string>())];
    }

    private static async Task<string?> OrgUnitOfAsync(HttpClient client, string instanceId)
    {
        using var response = await client.GetAsync($"/api/instances/{instanceId}", Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct))["orgUnitId"]?.GetValue<string>();
    }
}
