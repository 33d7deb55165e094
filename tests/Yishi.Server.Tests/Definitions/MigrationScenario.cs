using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Definitions;

public sealed class SqliteMigration : MigrationScenario<SqliteTestDatabase>;

public sealed class PostgreSqlMigration : MigrationScenario<PostgreSqlTestDatabase>;

/// <summary>
/// Designers publish a new version with a change note, see where each open case would stand on it, and move the cases:
/// the open task keeps its id, the case goes on along the new version's path, refusals leave cases untouched, and
/// cases outside the designer's org units are neither shown nor moved.
/// </summary>
public abstract class MigrationScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    /// <summary>The sample mediation with a second task, 'archive', after an agreement.</summary>
    private static string WithArchive(string definitionId) => SampleWorkflows.Mediation(definitionId)
        .Replace("""{ "id": "done", "type": "End",""", """{ "id": "archive", "type": "HumanTask", "properties": { "title": "归档", "assignee": { "role": "mediator" } } }, { "id": "done", "type": "End",""", StringComparison.Ordinal)
        .Replace("""{ "from": "mediate", "outcome": "agreed", "to": "done" }""", """{ "from": "mediate", "outcome": "agreed", "to": "archive" }, { "from": "archive", "to": "done" }""", StringComparison.Ordinal);

    /// <summary>The sample mediation with its task renamed from 'mediate' to 'mediation'.</summary>
    private static string Renamed(string definitionId) => SampleWorkflows.Mediation(definitionId).Replace("mediate", "mediation", StringComparison.Ordinal);

    private static async Task SaveDraftAsync(HttpClient staff, string definitionId, string document)
    {
        using var read = await staff.GetAsync($"/api/definitions/{definitionId}", Ct);
        await read.ReadJsonAsync(HttpStatusCode.OK, Ct);
        using var put = new HttpRequestMessage(HttpMethod.Put, $"/api/definitions/{definitionId}/draft") { Content = Http.Json(document) };
        put.Headers.TryAddWithoutValidation("If-Match", read.Headers.ETag!.ToString());
        using var saved = await staff.SendAsync(put, Ct);
        await saved.ReadJsonAsync(HttpStatusCode.OK, Ct);
    }

    private static async Task PublishAsync(HttpClient staff, string definitionId, string document)
    {
        await SaveDraftAsync(staff, definitionId, document);
        using var published = await staff.PostAsync($"/api/definitions/{definitionId}/publish", null, Ct);
        await published.ReadJsonAsync(HttpStatusCode.OK, Ct);
    }

    private static async Task<JsonNode> PostAsync(HttpClient client, string url, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await client.PostAsJsonAsync(url, body, Ct);
        return await response.ReadJsonAsync(expected, Ct);
    }

    private static async Task<int> VersionOfAsync(HttpClient client, string instanceId)
    {
        using var response = await client.GetAsync($"/api/instances/{instanceId}", Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct))["definitionVersion"]!.GetValue<int>();
    }

    [Fact]
    public async Task Publish_WithAChangeNote_ShowsItInTheVersions_WithoutBodyStillPublishes_TooLongIs400()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("noted"), "noted", Ct); // no body, no Content-Type
        using var staff = await server.ClientForAsync("staff", Ct);
        var staffId = await server.UserIdAsync("staff", Ct);
        await SaveDraftAsync(staff, "noted", SampleWorkflows.Mediation("noted", "第二版"));

        var published = await PostAsync(staff, "/api/definitions/noted/publish", new { note = "  调解期限由30日改为20日 " });
        await SaveDraftAsync(staff, "noted", SampleWorkflows.Mediation("noted", "第三版"));
        using var tooLong = await staff.PostAsJsonAsync("/api/definitions/noted/publish", new { note = new string('改', 501) }, Ct);
        using var notJson = await staff.PostAsync("/api/definitions/noted/publish", Http.Json("调解期限"), Ct);
        using var versions = await staff.GetAsync("/api/definitions/noted/versions", Ct);

        Assert.Equal(("调解期限由30日改为20日", staffId, 2), (published["note"]!.GetValue<string>(), published["publishedBy"]!.GetValue<string>(), published["version"]!.GetValue<int>()));
        var problem = await tooLong.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        Assert.Equal("note", problem["problems"]![0]!["property"]!.GetValue<string>());
        await notJson.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        var rows = (await versions.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        Assert.Equal([1, 2, 3], rows.Select(r => r!["version"]!.GetValue<int>()));
        Assert.Null(rows[0]!["note"]);
        Assert.Equal(staffId, rows[0]!["publishedBy"]?.GetValue<string>());
        Assert.Equal("调解期限由30日改为20日", rows[1]!["note"]!.GetValue<string>());
        Assert.Equal(("Draft", null), (rows[2]!["status"]!.GetValue<string>(), rows[2]!["note"]));
    }

    [Fact]
    public async Task DryRunThenMigrate_TheOpenTaskKeepsItsId_AndTheCaseGoesOnAlongTheNewPath()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("moving"), "moving", Ct);
        var (instanceId, taskId) = await server.StartAsync("moving", Ct);
        using var staff = await server.ClientForAsync("staff", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        await PublishAsync(staff, "moving", WithArchive("moving"));

        var dryRun = await PostAsync(staff, "/api/definitions/moving/migrations/dry-run", new { toVersion = 2 });
        var migrated = await PostAsync(staff, "/api/definitions/moving/migrations", new { toVersion = 2, instanceIds = new[] { instanceId } });
        var afterwards = await PostAsync(staff, "/api/definitions/moving/migrations/dry-run", new { toVersion = 2 });

        Assert.Equal((2, 500, false), (dryRun["toVersion"]!.GetValue<int>(), dryRun["limit"]!.GetValue<int>(), dryRun["truncated"]!.GetValue<bool>()));
        var planned = Assert.Single(dryRun["cases"]!.AsArray())!;
        Assert.Equal((instanceId, 1, "case-1", true), (planned["instanceId"]!.GetValue<string>(), planned["fromVersion"]!.GetValue<int>(),
            planned["correlationKey"]!.GetValue<string>(), planned["canMigrate"]!.GetValue<bool>()));
        var standsAt = Assert.Single(planned["standsAt"]!.AsArray())!;
        Assert.Equal(("mediate", "mediate", "HumanTask", "task", taskId), (standsAt["from"]!.GetValue<string>(), standsAt["to"]!.GetValue<string>(),
            standsAt["type"]!.GetValue<string>(), standsAt["wait"]!.GetValue<string>(), standsAt["bookmarkId"]!.GetValue<string>()));
        Assert.Equal("调解", standsAt["name"]!["zh-CN"]!.GetValue<string>());
        Assert.Empty(planned["problems"]!.AsArray());
        Assert.Null(planned["migrated"]);
        var moved = Assert.Single(migrated["cases"]!.AsArray())!;
        Assert.Equal((true, "migrated"), (moved["migrated"]!.GetValue<bool>(), moved["outcome"]!.GetValue<string>()));
        Assert.Empty(afterwards["cases"]!.AsArray());
        Assert.Equal(2, await VersionOfAsync(staff, instanceId));

        var completed = await PostAsync(mediator, $"/api/tasks/{taskId}/complete", new { outcome = "agreed", data = new { agreement = "赔偿500元" } });
        Assert.Equal("archive", Assert.Single(completed["tasks"]!.AsArray())!["activityId"]!.GetValue<string>());
        using var journal = await staff.GetAsync($"/api/instances/{instanceId}/journal", Ct);
        var entries = (await journal.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        var entry = Assert.Single(entries, e => e!["kind"]!.GetValue<string>() == "InstanceMigrated")!;
        Assert.Equal(await server.UserIdAsync("staff", Ct), entry["actorId"]!.GetValue<string>());
        Assert.Single(entries, e => e!["kind"]!.GetValue<string>() == "BookmarkCreated" && e["activityId"]!.GetValue<string>() == "mediate");
        using var audit = await staff.GetAsync("/api/audit?subject=definition:moving", Ct);
        Assert.Contains("definition.instances_migrated", (await audit.ReadJsonAsync(HttpStatusCode.OK, Ct)).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_RenamedTask_IsRefusedWithoutAMap_AndMovesWithOne()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("renaming"), "renaming", Ct);
        var (instanceId, taskId) = await server.StartAsync("renaming", Ct);
        using var staff = await server.ClientForAsync("staff", Ct);
        await PublishAsync(staff, "renaming", Renamed("renaming"));

        var refused = await PostAsync(staff, "/api/definitions/renaming/migrations", new { toVersion = 2, instanceIds = new[] { instanceId } });
        var versionAfterRefusal = await VersionOfAsync(staff, instanceId);
        var mapped = await PostAsync(staff, "/api/definitions/renaming/migrations", new { toVersion = 2, instanceIds = new[] { instanceId }, map = new { mediate = "mediation" } });

        var refusedCase = Assert.Single(refused["cases"]!.AsArray())!;
        Assert.Equal((false, false, "refused"), (refusedCase["canMigrate"]!.GetValue<bool>(), refusedCase["migrated"]!.GetValue<bool>(), refusedCase["outcome"]!.GetValue<string>()));
        var problem = Assert.Single(refusedCase["problems"]!.AsArray())!;
        Assert.Equal(("migration.activity-removed", "mediate"), (problem["code"]!.GetValue<string>(), problem["activityId"]!.GetValue<string>()));
        Assert.Equal(1, versionAfterRefusal);
        Assert.True(Assert.Single(mapped["cases"]!.AsArray())!["migrated"]!.GetValue<bool>());
        using var task = await staff.GetAsync($"/api/tasks/{taskId}", Ct);
        Assert.Equal("mediation", (await task.ReadJsonAsync(HttpStatusCode.OK, Ct))["activityId"]!.GetValue<string>());
    }

    [Fact]
    public async Task BadRequests_AreProblemDetails()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("refusing"), "refusing", Ct);
        using var staff = await server.ClientForAsync("staff", Ct);
        await PublishAsync(staff, "refusing", WithArchive("refusing"));
        await SaveDraftAsync(staff, "refusing", SampleWorkflows.Mediation("refusing", "草稿"));
        const string Url = "/api/definitions/refusing/migrations/dry-run";

        using var noVersion = await staff.PostAsJsonAsync(Url, new { instanceIds = Array.Empty<string>() }, Ct);
        using var unknownVersion = await staff.PostAsJsonAsync(Url, new { toVersion = 9 }, Ct);
        using var draft = await staff.PostAsJsonAsync(Url, new { toVersion = 3 }, Ct);
        using var first = await staff.PostAsJsonAsync(Url, new { toVersion = 1 }, Ct);
        using var badMap = await staff.PostAsJsonAsync("/api/definitions/refusing/migrations", new { toVersion = 2, map = new { mediate = "nowhere" } }, Ct);
        using var unknownDefinition = await staff.PostAsJsonAsync("/api/definitions/no-such/migrations/dry-run", new { toVersion = 2 }, Ct);

        Assert.Equal("toVersion", (await noVersion.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct))["problems"]![0]!["property"]!.GetValue<string>());
        await unknownVersion.ReadProblemAsync(HttpStatusCode.NotFound, "unknown-version", Ct);
        await draft.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "not-published", Ct);
        await first.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "not-newer", Ct);
        var map = await badMap.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "unknown-activity", Ct);
        Assert.Equal(("migration.map-unknown-target", "mediate"), (map["problems"]![0]!["code"]!.GetValue<string>(), map["problems"]![0]!["activityId"]!.GetValue<string>()));
        await unknownDefinition.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
    }

    [Fact]
    public async Task CasesOutsideTheDesignersUnits_AreNeitherListedNorMoved()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("scoped-move"), "scoped-move", Ct);
        var (instanceId, _) = await server.StartAsync("scoped-move", Ct); // in community c1
        using var staff = await server.ClientForAsync("staff", Ct);
        await PublishAsync(staff, "scoped-move", WithArchive("scoped-move"));
        await server.CreateUserAsync("designer-c2", "c2", "designer", Ct);
        using var other = await server.ClientForAsync("designer-c2", Ct);

        var listed = await PostAsync(other, "/api/definitions/scoped-move/migrations/dry-run", new { toVersion = 2 });
        var named = await PostAsync(other, "/api/definitions/scoped-move/migrations/dry-run", new { toVersion = 2, instanceIds = new[] { instanceId, "no-such-case" } });
        var moved = await PostAsync(other, "/api/definitions/scoped-move/migrations", new { toVersion = 2, instanceIds = new[] { instanceId } });

        Assert.Empty(listed["cases"]!.AsArray());
        var rows = named["cases"]!.AsArray();
        Assert.Equal(2, rows.Count);
        // Someone else's case and a case that does not exist answer alike.
        Assert.Equal(rows[0]!["problems"]![0]!["code"]!.ToJsonString(), rows[1]!["problems"]![0]!["code"]!.ToJsonString());
        Assert.All(rows, r => Assert.False(r!["canMigrate"]!.GetValue<bool>()));
        Assert.All(rows, r => Assert.Null(r!["fromVersion"]));
        Assert.Equal("not-found", Assert.Single(moved["cases"]!.AsArray())!["outcome"]!.GetValue<string>());
        Assert.Equal(1, await VersionOfAsync(staff, instanceId));
    }

    [Fact]
    public async Task ACaseThatFinishedAfterTheDryRun_IsNotMoved()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("racing"), "racing", Ct);
        var (instanceId, taskId) = await server.StartAsync("racing", Ct);
        using var staff = await server.ClientForAsync("staff", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        await PublishAsync(staff, "racing", WithArchive("racing"));

        var dryRun = await PostAsync(staff, "/api/definitions/racing/migrations/dry-run", new { toVersion = 2 });
        await PostAsync(mediator, $"/api/tasks/{taskId}/complete", new { outcome = "failed", data = new { agreement = "未达成" } });
        var migrated = await PostAsync(staff, "/api/definitions/racing/migrations", new { toVersion = 2, instanceIds = new[] { instanceId } });

        Assert.True(Assert.Single(dryRun["cases"]!.AsArray())!["canMigrate"]!.GetValue<bool>());
        var row = Assert.Single(migrated["cases"]!.AsArray())!;
        Assert.Equal((false, "refused", "migration.instance-finished"), (row["migrated"]!.GetValue<bool>(), row["outcome"]!.GetValue<string>(),
            row["problems"]![0]!["code"]!.GetValue<string>()));
        Assert.Equal(1, await VersionOfAsync(staff, instanceId));
    }
}
