using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Workflows;

public sealed class SqliteWorkflowLife : WorkflowLifeScenario<SqliteTestDatabase>;

public sealed class PostgreSqlWorkflowLife : WorkflowLifeScenario<PostgreSqlTestDatabase>;

/// <summary>A workflow's whole life over HTTP: designed, published, started, worked in the inbox, completed, audited.</summary>
public abstract class WorkflowLifeScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task DesignPublishStartComplete_InstanceCompletesWithJournalOfTheMediator()
    {
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using (var created = await staff.PostAsync("/api/definitions", Http.Json(SampleWorkflows.Mediation("life")), Ct))
        {
            var draft = await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
            Assert.Equal("/api/definitions/life", created.Headers.Location?.OriginalString);
            Assert.Equal("Draft", draft["status"]?.GetValue<string>());
            Assert.Equal(1, draft["version"]?.GetValue<int>());
            Assert.Equal("s1", draft["orgUnitId"]?.GetValue<string>());
        }

        using (var published = await staff.PostAsync("/api/definitions/life/publish", null, Ct))
        {
            var body = await published.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.Equal("Published", body["status"]?.GetValue<string>());
            Assert.Equal(1, body["version"]?.GetValue<int>());
        }

        string instanceId;
        string taskId;
        using (var started = await mediator.PostAsJsonAsync("/api/instances",
                   new { definitionId = "life", input = new JsonObject { ["caseTitle"] = "楼上漏水" }, correlationKey = "case-42" }, Ct))
        {
            var body = await started.ReadJsonAsync(HttpStatusCode.Created, Ct);
            instanceId = body["id"]!.GetValue<string>();
            Assert.Equal($"/api/instances/{instanceId}", started.Headers.Location?.OriginalString);
            Assert.Equal("Waiting", body["status"]?.GetValue<string>());
            var task = Assert.Single(body["tasks"]!.AsArray())!;
            Assert.Equal("mediate", task["activityId"]?.GetValue<string>());
            Assert.Equal("mediator", task["role"]?.GetValue<string>());
            Assert.Equal(instanceId, task["instanceId"]?.GetValue<string>());
            taskId = task["id"]!.GetValue<string>();
        }

        using (var waiting = await mediator.GetAsync($"/api/instances/{instanceId}", Ct))
        {
            // Where it waits, for the case viewer: the step, its kind and role, never the assignee.
            var at = Assert.Single((await waiting.ReadJsonAsync(HttpStatusCode.OK, Ct))["waiting"]!.AsArray())!;
            Assert.Equal("mediate", at["activityId"]?.GetValue<string>());
            Assert.Equal("HumanTask", at["kind"]?.GetValue<string>());
            Assert.Equal("mediator", at["role"]?.GetValue<string>());
            Assert.Null(at["userId"]);
        }

        using (var inbox = await mediator.GetAsync("/api/tasks?mine=true", Ct))
        {
            var tasks = (await inbox.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
            var task = Assert.Single(tasks)!;
            Assert.Equal(taskId, task["id"]?.GetValue<string>());
            Assert.Equal("life", task["definitionId"]?.GetValue<string>());
        }

        using (var completed = await mediator.PostAsJsonAsync($"/api/tasks/{taskId}/complete",
                   new { outcome = "agreed", data = new JsonObject { ["agreement"] = "维修费用由楼上承担" } }, Ct))
        {
            var body = await completed.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.Equal("Completed", body["status"]?.GetValue<string>());
            Assert.Empty(body["tasks"]!.AsArray());
        }

        using (var instance = await mediator.GetAsync($"/api/instances/{instanceId}", Ct))
        {
            var body = await instance.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.Equal("Completed", body["status"]?.GetValue<string>());
            Assert.Equal("agreed", body["result"]?.GetValue<string>());
            Assert.Equal("case-42", body["correlationKey"]?.GetValue<string>());
            Assert.NotNull(body["finishedAt"]);
            Assert.Empty(body["waiting"]!.AsArray());
        }

        string mediatorId;
        using (var me = await mediator.GetAsync("/api/me", Ct))
        {
            mediatorId = (await me.ReadJsonAsync(HttpStatusCode.OK, Ct))["id"]!.GetValue<string>();
        }

        using (var journal = await mediator.GetAsync($"/api/instances/{instanceId}/journal", Ct))
        {
            var entries = (await journal.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Select(e => e!).ToList();
            Assert.Equal(Enumerable.Range(0, entries.Count).Select(i => (long)i), entries.Select(e => e["sequence"]!.GetValue<long>()));
            var kinds = entries.Select(e => e["kind"]!.GetValue<string>()).ToList();
            Assert.Equal("InstanceStarted", kinds[0]);
            Assert.Equal("InstanceCompleted", kinds[^1]);
            Assert.True(kinds.IndexOf("BookmarkCreated") < kinds.IndexOf("BookmarkResumed"), string.Join(", ", kinds));
            var resumed = Assert.Single(entries, e => e["kind"]!.GetValue<string>() == "BookmarkResumed");
            Assert.Equal(mediatorId, resumed["actorId"]?.GetValue<string>());
            Assert.Equal(taskId, resumed["bookmarkId"]?.GetValue<string>());
            Assert.Equal("agreed", resumed["outcome"]?.GetValue<string>());
        }

        using var after = await mediator.GetAsync("/api/tasks?mine=true", Ct);
        Assert.Empty((await after.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
    }

    [Fact]
    public async Task TheInbox_FilteredByCase_ListsThatCasesTasksOnly()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("inbox"), "inbox", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var ids = new List<string>();
        foreach (var title in (string[])["楼上漏水", "车位纠纷"])
        {
            using var started = await mediator.PostAsJsonAsync("/api/instances", new { definitionId = "inbox", input = new JsonObject { ["caseTitle"] = title } }, Ct);
            ids.Add((await started.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>());
        }

        using var all = await mediator.GetAsync("/api/tasks", Ct);
        using var second = await mediator.GetAsync($"/api/tasks?instanceId={ids[1]}", Ct);
        using var mineOfSecond = await mediator.GetAsync($"/api/tasks?mine=true&instanceId={ids[1]}", Ct);

        Assert.Equal(2, (await all.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Count);
        Assert.Equal(ids[1], Assert.Single((await second.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray())!["instanceId"]!.GetValue<string>());
        Assert.Equal(ids[1], Assert.Single((await mineOfSecond.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray())!["instanceId"]!.GetValue<string>());
    }
}
