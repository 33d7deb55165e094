using System.Net;
using System.Net.Http.Json;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Rehearsals;

public sealed class SqliteRehearsal : RehearsalScenario<SqliteTestDatabase>;

public sealed class PostgreSqlRehearsal : RehearsalScenario<PostgreSqlTestDatabase>;

/// <summary>A designer rehearses a draft: a month passes in one call, and no real case is touched.</summary>
public abstract class RehearsalScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string Draft = """
        { "definitionId": "cooling-off", "name": "Mediation with a cooling-off month",
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "accept", "type": "HumanTask", "properties": { "title": "Accept", "assignee": { "role": "mediator" }, "outcomes": [ "accept", "refuse" ] } },
            { "id": "cool", "type": "Delay", "properties": { "duration": "P30D" } },
            { "id": "end", "type": "End", "properties": { "result": "activities.accept.outcome" } } ],
          "connections": [ { "from": "start", "to": "accept" }, { "from": "accept", "outcome": "accept", "to": "cool" },
            { "from": "accept", "outcome": "refuse", "to": "end" }, { "from": "cool", "to": "end" } ] }
        """;

    [Fact]
    public async Task DesignerRehearsesADraft_CompletesItsTask_AndMovesAMonthOn()
    {
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(Draft), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using var started = await staff.PostAsJsonAsync("/api/definitions/cooling-off/rehearsals", new { }, Ct);
        var rehearsal = await started.ReadJsonAsync(HttpStatusCode.Created, Ct);
        var id = rehearsal["id"]!.GetValue<string>();
        var taskId = rehearsal["waiting"]![0]!["id"]!.GetValue<string>();
        using var wrongOutcome = await staff.PostAsJsonAsync($"/api/rehearsals/{id}/tasks/{taskId}/complete", new { outcome = "maybe" }, Ct);
        using var accepted = await staff.PostAsJsonAsync($"/api/rehearsals/{id}/tasks/{taskId}/complete", new { outcome = "accept" }, Ct);
        var afterTask = await accepted.ReadJsonAsync(HttpStatusCode.OK, Ct);
        using var badDuration = await staff.PostAsJsonAsync($"/api/rehearsals/{id}/advance", new { by = "next week" }, Ct);
        using var advanced = await staff.PostAsJsonAsync($"/api/rehearsals/{id}/advance", new { by = "P31D" }, Ct);
        var afterMonth = await advanced.ReadJsonAsync(HttpStatusCode.OK, Ct);

        await wrongOutcome.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-input", Ct);
        Assert.Equal("Timer", afterTask["waiting"]![0]!["kind"]!.GetValue<string>());
        await badDuration.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        Assert.Equal("Completed", afterMonth["status"]!.GetValue<string>());
        Assert.Equal("accept", afterMonth["result"]!.GetValue<string>());
        Assert.True(afterMonth["now"]!.GetValue<DateTimeOffset>() - rehearsal["now"]!.GetValue<DateTimeOffset>() >= TimeSpan.FromDays(31));

        // Nothing real happened: no instance, and the draft is still a draft.
        using var admin = await server.ClientForAsync("admin", Ct);
        using var instances = await admin.GetAsync("/api/instances", Ct);
        Assert.Empty((await instances.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
    }

    [Fact]
    public async Task Rehearsal_IsTheDesignersOwn_AndGoneOnceDeleted()
    {
        var server = NewServer();
        await server.PublishAsync(Draft, "cooling-off", Ct);
        await server.CreateUserAsync("designer2", "s1", "designer", Ct);
        using var staff = await server.ClientForAsync("staff", Ct);
        using var other = await server.ClientForAsync("designer2", Ct);
        using var started = await staff.PostAsJsonAsync("/api/definitions/cooling-off/rehearsals", new { version = 1 }, Ct);
        var id = (await started.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();

        using var byOther = await other.GetAsync($"/api/rehearsals/{id}", Ct);
        using var deleted = await staff.DeleteAsync($"/api/rehearsals/{id}", Ct);
        using var afterDelete = await staff.GetAsync($"/api/rehearsals/{id}", Ct);
        using var unknownVersion = await staff.PostAsJsonAsync("/api/definitions/cooling-off/rehearsals", new { version = 9 }, Ct);

        await byOther.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await afterDelete.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await unknownVersion.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
    }

    private const string Declining = """
        { "definitionId": "declining", "name": { "zh-CN": "议题审核", "en": "Topic review" },
          "variables": [ { "name": "topic", "type": "string" }, { "name": "reason", "type": "string" } ],
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "review", "type": "Cosign", "properties": { "topic": "{{ topic }}", "threshold": 10, "period": "P30D" } },
            { "id": "tell", "type": "Notify", "properties": { "template": "consultation/declined", "to": [ { "parties": "proposer" } ] } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "review" }, { "from": "review", "outcome": "lapsed", "to": "tell" },
            { "from": "review", "outcome": "reached", "to": "end" }, { "from": "tell", "to": "end" } ] }
        """;

    [Fact]
    public async Task Rehearsal_SettlesACosigning_AndShowsTheMessageItWouldSend_RenderedButNotSent()
    {
        Notifications.NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(Declining), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using var started = await staff.PostAsJsonAsync("/api/definitions/declining/rehearsals", new { input = new { topic = "东门增设非机动车停放区", reason = "联名未达到10人" } }, Ct);
        var rehearsal = await started.ReadJsonAsync(HttpStatusCode.Created, Ct);
        var id = rehearsal["id"]!.GetValue<string>();
        var waitId = rehearsal["waiting"]![0]!["id"]!.GetValue<string>();
        using var lapsed = await staff.PostAsJsonAsync($"/api/rehearsals/{id}/tasks/{waitId}/complete", new { outcome = "lapsed" }, Ct);
        var done = await lapsed.ReadJsonAsync(HttpStatusCode.OK, Ct);
        using var inEnglish = await staff.GetAsync($"/api/rehearsals/{id}?locale=en", Ct);
        var english = await inEnglish.ReadJsonAsync(HttpStatusCode.OK, Ct);

        Assert.Equal("Cosign", rehearsal["waiting"]![0]!["kind"]!.GetValue<string>());
        Assert.Empty(rehearsal["messages"]!.AsArray());
        Assert.Equal("Completed", done["status"]!.GetValue<string>());
        var message = Assert.Single(done["messages"]!.AsArray())!;
        Assert.Equal("notify", message["kind"]!.GetValue<string>());
        Assert.Equal("tell", message["activityId"]!.GetValue<string>());
        Assert.Equal("proposer", message["to"]![0]!["parties"]!.GetValue<string>());
        Assert.Contains("东门增设非机动车停放区", message["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("联名未达到10人", message["body"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(message["problem"]);
        Assert.DoesNotContain("东门", Assert.Single(english["messages"]!.AsArray())!["title"]!.GetValue<string>(), StringComparison.Ordinal);

        // Rendered, not sent: no delivery exists.
        using var admin = await server.ClientForAsync("admin", Ct);
        using var deliveries = await admin.GetAsync("/api/admin/deliveries", Ct);
        Assert.Empty((await deliveries.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
    }
}
