using System.Net;
using System.Net.Http.Json;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Tasks;

public sealed class SqliteExtension : ExtensionScenario<SqliteTestDatabase>;

public sealed class PostgreSqlExtension : ExtensionScenario<PostgreSqlTestDatabase>;

/// <summary>A mediator asks for more time with a reason; where the workflow says so, a supervisor of the case's unit decides.</summary>
public abstract class ExtensionScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static string Case(string extensions) => $$"""
        { "definitionId": "hotline-{{extensions}}", "name": "Hotline case",
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "handle", "type": "HumanTask", "properties": { "title": "Handle", "assignee": { "role": "mediator" }, "due": "P10D", "extensions": "{{extensions}}" } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "handle" }, { "from": "handle", "to": "end" } ] }
        """;

    [Fact]
    public async Task Approval_MediatorAsks_SupervisorApproves_TheDeadlineMoves_AndTheMediatorIsTold()
    {
        var server = NewServer();
        await server.PublishAsync(Case("approval"), "hotline-approval", Ct);
        var (_, taskId) = await StartAsync(server, "hotline-approval");
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var supervisor = await server.ClientForAsync("supervisor", Ct);
        var dueBefore = await DueAsync(mediator, taskId);

        using var asked = await mediator.PostAsJsonAsync($"/api/tasks/{taskId}/extension", new { by = new { days = 5 }, reason = "当事人出差，需改期" }, Ct);
        var request = await asked.ReadJsonAsync(HttpStatusCode.Accepted, Ct);
        var unchanged = await DueAsync(mediator, taskId);
        using var pending = await supervisor.GetAsync("/api/extensions", Ct);
        var listed = (await pending.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        using var approved = await supervisor.PostAsync($"/api/extensions/{request["id"]!.GetValue<string>()}/approve", null, Ct);
        using var twice = await supervisor.PostAsync($"/api/extensions/{request["id"]!.GetValue<string>()}/approve", null, Ct);

        Assert.Equal("pending", request["status"]!.GetValue<string>());
        Assert.Equal(dueBefore, unchanged);
        Assert.Equal("当事人出差，需改期", Assert.Single(listed)!["reason"]!.GetValue<string>());
        Assert.Equal("approved", (await approved.ReadJsonAsync(HttpStatusCode.OK, Ct))["status"]!.GetValue<string>());
        await twice.ReadProblemAsync(HttpStatusCode.Conflict, "already-decided", Ct);
        Assert.Equal(dueBefore.AddDays(5), await DueAsync(mediator, taskId));
        using var inbox = await mediator.GetAsync("/api/inbox", Ct);
        Assert.Contains((await inbox.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(), n => n!["kind"]!.GetValue<string>() == "extension-decided");
    }

    [Fact]
    public async Task Allowed_TheMediatorExtendsAtOnce_None_Refused_AndAReasonIsNeeded()
    {
        var server = NewServer();
        await server.PublishAsync(Case("allowed"), "hotline-allowed", Ct);
        await server.PublishAsync(Case("none"), "hotline-none", Ct);
        var (_, allowedTask) = await StartAsync(server, "hotline-allowed");
        var (_, noneTask) = await StartAsync(server, "hotline-none");
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var heping = await server.ClientForAsync("mediator2", Ct);
        var dueBefore = await DueAsync(mediator, allowedTask);

        using var noReason = await mediator.PostAsJsonAsync($"/api/tasks/{allowedTask}/extension", new { by = "P2D", reason = " " }, Ct);
        using var otherCommunity = await heping.PostAsJsonAsync($"/api/tasks/{allowedTask}/extension", new { by = "P2D", reason = "x" }, Ct);
        using var extended = await mediator.PostAsJsonAsync($"/api/tasks/{allowedTask}/extension", new { by = "P2D", reason = "等待鉴定结果" }, Ct);
        using var refused = await mediator.PostAsJsonAsync($"/api/tasks/{noneTask}/extension", new { by = "P2D", reason = "x" }, Ct);

        await noReason.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        await otherCommunity.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        var applied = await extended.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal("applied", applied["status"]!.GetValue<string>());
        Assert.Equal(dueBefore.AddDays(2), await DueAsync(mediator, allowedTask));
        await refused.ReadProblemAsync(HttpStatusCode.Forbidden, "forbidden", Ct);
    }

    private static async Task<(string InstanceId, string TaskId)> StartAsync(YishiFactory server, string definitionId)
    {
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var started = await mediator.PostAsJsonAsync("/api/instances", new { definitionId }, Ct);
        var body = await started.ReadJsonAsync(HttpStatusCode.Created, Ct);
        return (body["id"]!.GetValue<string>(), body["tasks"]![0]!["id"]!.GetValue<string>());
    }

    private static async Task<DateTimeOffset> DueAsync(HttpClient client, string taskId)
    {
        using var response = await client.GetAsync($"/api/tasks/{taskId}", Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct))["dueAt"]!.GetValue<DateTimeOffset>();
    }
}
