using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Workbench;

public sealed class SqliteWorkbench : WorkbenchScenario<SqliteTestDatabase>;

public sealed class PostgreSqlWorkbench : WorkbenchScenario<PostgreSqlTestDatabase>;

/// <summary>
/// The mediator's workbench over HTTP: the inbox counts working days in the case's calendar, masks parties and flags
/// deadlines; a party's full details need a reason and leave an audit entry; a supervisor can give a task to someone else.
/// </summary>
public abstract class WorkbenchScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    // Monday 2 March 2026, 09:00 in Beijing: no holiday near, so five working days end on Monday 9 March at 09:00.
    private static readonly DateTimeOffset Monday = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    private static readonly string[] MediatorRole = ["mediator"];

    private const string PartyName = "张三丰";
    private const string PartyPhone = "13912345678";
    private const string PartyIdNumber = "11010519491231002X";

    private const string Workflow = """
        {
          "definitionId": "wb-leak",
          "name": { "zh-CN": "漏水纠纷", "en": "Leak dispute" },
          "variables": [ { "name": "case_title", "type": "string", "required": true }, { "name": "note", "type": "string" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "mediate", "type": "HumanTask", "properties": {
                "title": { "zh-CN": "组织调解", "en": "Mediate" },
                "assignee": { "role": "mediator" },
                "due": { "workingDays": 5 },
                "outcomes": [ "agreed", "failed" ],
                "form": [ { "name": "note", "type": "text", "label": { "zh-CN": "调解记录", "en": "Notes" }, "required": true, "maxLength": 20, "variable": "note" } ] } },
            { "id": "done", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "mediate" },
            { "from": "mediate", "outcome": "agreed", "to": "done" },
            { "from": "mediate", "outcome": "failed", "to": "done" }
          ]
        }
        """;

    private sealed class FixedClock(DateTimeOffset start) : TimeProvider
    {
        private long _ticks = start.UtcTicks;

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

        public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);
    }

    /// <summary>A started case on a server whose clock is pinned to <see cref="Monday"/>; its log lines are in <paramref name="Logs"/>.</summary>
    private sealed record Setup(WebApplicationFactory<Program> Server, LogCapture Logs, FixedClock Clock, string InstanceId, string TaskId);

    private async Task<Setup> StartCaseAsync()
    {
        var clock = new FixedClock(Monday);
        var factory = NewServer();
        var server = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        using (var staff = await server.SignedInClientAsync("staff", Ct))
        {
            using var created = await staff.PostAsync("/api/definitions", Http.Json(Workflow), Ct);
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
            using var published = await staff.PostAsync("/api/definitions/wb-leak/publish", null, Ct);
            await published.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        using var mediator = await server.SignedInClientAsync("mediator", Ct);
        using var started = await mediator.PostAsJsonAsync("/api/instances", new
        {
            definitionId = "wb-leak",
            input = new JsonObject { ["case_title"] = "楼上漏水" },
            correlationKey = "TJ-2026-001",
            parties = new[] { new { role = "applicant", name = PartyName, phone = PartyPhone, idNumber = PartyIdNumber } },
        }, Ct);
        var body = await started.ReadJsonAsync(HttpStatusCode.Created, Ct);
        return new Setup(server, factory.Logs, clock, body["id"]!.GetValue<string>(), body["tasks"]![0]!["id"]!.GetValue<string>());
    }

    private static async Task<string> CreateUserAsync(WebApplicationFactory<Program> server, string userName)
    {
        using var admin = await server.SignedInClientAsync("admin", Ct);
        using var created = await admin.PostAsJsonAsync("/api/admin/users",
            new { userName, displayName = "李" + userName, password = YishiFactory.DemoPassword, orgUnitId = "c1", roles = MediatorRole }, Ct);
        return (await created.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
    }

    private static async Task<string> UserIdAsync(WebApplicationFactory<Program> server, string userName)
    {
        using var client = await server.SignedInClientAsync(userName, Ct);
        using var me = await client.GetAsync("/api/me", Ct);
        return (await me.ReadJsonAsync(HttpStatusCode.OK, Ct))["id"]!.GetValue<string>();
    }

    private static async Task<JsonNode> InboxAsync(HttpClient client, string query)
    {
        using var answer = await client.GetAsync("/api/workbench/inbox?" + query, Ct);
        return await answer.ReadJsonAsync(HttpStatusCode.OK, Ct);
    }

    [Fact]
    public async Task Inbox_CountsWorkingDaysInTheCaseCalendar_MasksParties_FlagsTheDeadline_AndFilters()
    {
        var (server, _, clock, instanceId, taskId) = await StartCaseAsync();
        using var mediator = await server.SignedInClientAsync("mediator", Ct);
        mediator.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en");

        var team = await InboxAsync(mediator, "view=team");
        var mineBefore = await InboxAsync(mediator, "view=mine");
        using (var claimed = await mediator.PostAsync($"/api/tasks/{taskId}/claim", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        }

        var mine = await InboxAsync(mediator, "view=mine");
        clock.Advance(TimeSpan.FromDays(6)); // Sunday 09:00: 6 of the 7 days to Monday's deadline have passed.
        var sunday = await InboxAsync(mediator, "view=mine");
        clock.Advance(TimeSpan.FromDays(2)); // Tuesday 09:00: the deadline was Monday.
        var overdue = await InboxAsync(mediator, "view=overdue");
        var bySurname = await InboxAsync(mediator, "view=mine&search=" + Uri.EscapeDataString("张"));
        var byOtherSurname = await InboxAsync(mediator, "view=mine&search=" + Uri.EscapeDataString("李"));
        var byNumber = await InboxAsync(mediator, "view=mine&search=TJ-2026");
        using (var risk = await mediator.PutAsJsonAsync($"/api/instances/{instanceId}/file", new { riskLevel = "high", escalationRisk = true }, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, risk.StatusCode);
        }

        var high = await InboxAsync(mediator, "view=mine&risk=high");
        var low = await InboxAsync(mediator, "view=mine&risk=low");
        using var badView = await mediator.GetAsync("/api/workbench/inbox?view=everything", Ct);

        var row = Assert.Single(team["tasks"]!.AsArray())!;
        Assert.Equal(taskId, row["taskId"]!.GetValue<string>());
        Assert.Equal("楼上漏水", row["caseTitle"]!.GetValue<string>());
        Assert.Equal("TJ-2026-001", row["caseNumber"]!.GetValue<string>());
        Assert.Equal("Leak dispute", row["workflow"]!.GetValue<string>());
        Assert.Equal("Mediate", row["step"]!.GetValue<string>());
        Assert.Equal("张**", Assert.Single(row["parties"]!.AsArray())!.GetValue<string>());
        Assert.DoesNotContain(PartyName, team.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(5, row["countdown"]!["workingDaysLeft"]!.GetValue<int>());
        Assert.False(row["countdown"]!["warning"]!.GetValue<bool>());
        Assert.Equal(new DateTimeOffset(2026, 3, 9, 9, 0, 0, TimeSpan.FromHours(8)), row["countdown"]!["dueLocal"]!.GetValue<DateTimeOffset>());
        Assert.Equal("+08:00", row["countdown"]!["dueLocal"]!.GetValue<string>()[^6..]);
        Assert.Empty(mineBefore["tasks"]!.AsArray());
        Assert.Equal(1, mine["mine"]!.GetValue<int>());
        Assert.Equal(0, mine["team"]!.GetValue<int>());
        var late = Assert.Single(sunday["tasks"]!.AsArray())!["countdown"]!;
        Assert.Equal(1, late["workingDaysLeft"]!.GetValue<int>());
        Assert.True(late["warning"]!.GetValue<bool>());
        var past = Assert.Single(overdue["tasks"]!.AsArray())!["countdown"]!;
        Assert.True(past["overdue"]!.GetValue<bool>());
        Assert.Equal(-1, past["workingDaysLeft"]!.GetValue<int>());
        Assert.Single(bySurname["tasks"]!.AsArray());
        Assert.Empty(byOtherSurname["tasks"]!.AsArray());
        Assert.Single(byNumber["tasks"]!.AsArray());
        var flagged = Assert.Single(high["tasks"]!.AsArray())!;
        Assert.Equal("high", flagged["riskLevel"]!.GetValue<string>());
        Assert.True(flagged["escalationRisk"]!.GetValue<bool>());
        Assert.Empty(low["tasks"]!.AsArray());
        await badView.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
    }

    [Fact]
    public async Task Case_ListsOpenTasksWithTheirForm_AndWhatTheCallerMayDo()
    {
        var (server, _, _, instanceId, taskId) = await StartCaseAsync();
        using var mediator = await server.SignedInClientAsync("mediator", Ct);
        using var other = await server.SignedInClientAsync("mediator2", Ct);

        using var answer = await mediator.GetAsync($"/api/workbench/cases/{instanceId}", Ct);
        var found = await answer.ReadJsonAsync(HttpStatusCode.OK, Ct);
        using var hidden = await other.GetAsync($"/api/workbench/cases/{instanceId}", Ct);

        Assert.Equal("楼上漏水", found["title"]!.GetValue<string>());
        Assert.True(found["mayReveal"]!.GetValue<bool>());
        Assert.True(found["mayTransfer"]!.GetValue<bool>());
        Assert.Equal("张**", Assert.Single(found["parties"]!.AsArray())!["displayName"]!.GetValue<string>());
        var task = Assert.Single(found["tasks"]!.AsArray())!;
        Assert.Equal(taskId, task["id"]!.GetValue<string>());
        Assert.Equal("组织调解", task["title"]!.GetValue<string>());
        Assert.Equal(["agreed", "failed"], task["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));
        var field = Assert.Single(task["form"]!.AsArray())!;
        Assert.Equal("note", field["name"]!.GetValue<string>());
        Assert.Equal("调解记录", field["label"]!.GetValue<string>());
        Assert.True(field["required"]!.GetValue<bool>());
        Assert.Equal(20, field["maxLength"]!.GetValue<int>());
        Assert.True(task["mayComplete"]!.GetValue<bool>());
        Assert.True(task["mayClaim"]!.GetValue<bool>());
        Assert.False(task["mayAssign"]!.GetValue<bool>());
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
    }

    [Fact]
    public async Task Reveal_WithAReason_AnswersTheFullDetails_AndAuditsWhoWhichAndWhy_NeverTheValues()
    {
        var (server, logs, _, instanceId, _) = await StartCaseAsync();
        using var mediator = await server.SignedInClientAsync("mediator", Ct);
        using var supervisor = await server.SignedInClientAsync("supervisor", Ct);
        using var otherUnit = await server.SignedInClientAsync("mediator2", Ct);
        using var resident = await server.SignedInClientAsync("resident1", Ct);
        using var designer = await server.SignedInClientAsync("staff", Ct);
        var partyId = (await (await mediator.GetAsync($"/api/workbench/cases/{instanceId}", Ct)).ReadJsonAsync(HttpStatusCode.OK, Ct))["parties"]![0]!["id"]!
            .GetValue<string>();
        var path = $"/api/instances/{instanceId}/parties/{partyId}/reveal";
        var mediatorId = await UserIdAsync(server, "mediator");

        using var revealed = await mediator.PostAsJsonAsync(path, new { reason = "电话通知调解时间" }, Ct);
        using var bySupervisor = await supervisor.PostAsJsonAsync(path, new { reason = "核实身份" }, Ct);
        using var noReason = await mediator.PostAsJsonAsync(path, new { reason = "  " }, Ct);
        using var fromOtherUnit = await otherUnit.PostAsJsonAsync(path, new { reason = "想看看" }, Ct);
        using var byResident = await resident.PostAsJsonAsync(path, new { reason = "想看看" }, Ct);
        using var byDesigner = await designer.PostAsJsonAsync(path, new { reason = "想看看" }, Ct);
        using var unknownParty = await mediator.PostAsJsonAsync($"/api/instances/{instanceId}/parties/nobody/reveal", new { reason = "核实" }, Ct);
        using var audit = await mediator.GetAsync($"/api/audit?subject=case:{instanceId}", Ct);

        var full = await revealed.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal(PartyName, full["name"]!.GetValue<string>());
        Assert.Equal(PartyPhone, full["phone"]!.GetValue<string>());
        Assert.Equal(PartyIdNumber, full["idNumber"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, bySupervisor.StatusCode);
        await noReason.ReadProblemAsync(HttpStatusCode.BadRequest, "reason-required", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, fromOtherUnit.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byResident.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, byDesigner.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownParty.StatusCode);
        var entries = (await audit.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        Assert.Equal(2, entries.Count);
        var first = entries[0]!;
        Assert.Equal("party.revealed", first["kind"]!.GetValue<string>());
        var data = first["data"]!.GetValue<string>();
        Assert.Contains(partyId, data, StringComparison.Ordinal);
        Assert.Contains(mediatorId, data, StringComparison.Ordinal);
        Assert.Equal("电话通知调解时间", JsonNode.Parse(data)!["reason"]!.GetValue<string>());
        var everything = string.Join("\n", entries.Select(e => e!.ToJsonString())) + string.Join("\n", logs.Lines);
        Assert.DoesNotContain(PartyPhone, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(PartyName, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(PartyIdNumber, everything, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assign_ASupervisorGivesTheTaskToAnotherMediatorOfTheUnit_WithAReason_InTheTimeline()
    {
        var (server, _, _, instanceId, taskId) = await StartCaseAsync();
        var colleagueId = await CreateUserAsync(server, "mediator-c1b");
        var mediatorId = await UserIdAsync(server, "mediator");
        var otherUnitId = await UserIdAsync(server, "mediator2");
        using var supervisor = await server.SignedInClientAsync("supervisor", Ct);
        using var mediator = await server.SignedInClientAsync("mediator", Ct);
        using var colleague = await server.SignedInClientAsync("mediator-c1b", Ct);
        using (var claimed = await mediator.PostAsync($"/api/tasks/{taskId}/claim", null, Ct))
        {
            Assert.Equal(HttpStatusCode.OK, claimed.StatusCode);
        }

        using var candidates = await supervisor.GetAsync($"/api/tasks/{taskId}/assignees", Ct);
        using var byMediator = await mediator.PostAsJsonAsync($"/api/tasks/{taskId}/assign", new { userId = colleagueId, reason = "我休假" }, Ct);
        using var noReason = await supervisor.PostAsJsonAsync($"/api/tasks/{taskId}/assign", new { userId = colleagueId, reason = "" }, Ct);
        using var outsider = await supervisor.PostAsJsonAsync($"/api/tasks/{taskId}/assign", new { userId = otherUnitId, reason = "调整分工" }, Ct);
        using var assigned = await supervisor.PostAsJsonAsync($"/api/tasks/{taskId}/assign", new { userId = colleagueId, reason = "原调解员休假" }, Ct);
        using var oldHolder = await mediator.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "agreed", data = new { note = "达成协议" } }, Ct);
        var colleagueInbox = await InboxAsync(colleague, "view=mine");
        using var timeline = await supervisor.GetAsync($"/api/instances/{instanceId}/timeline", Ct);
        using var completed = await colleague.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "agreed", data = new { note = "达成协议" } }, Ct);

        var people = (await candidates.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Select(p => p!["id"]!.GetValue<string>()).ToList();
        Assert.Contains(colleagueId, people);
        Assert.Contains(mediatorId, people);
        Assert.DoesNotContain(otherUnitId, people);
        Assert.Equal(HttpStatusCode.Forbidden, byMediator.StatusCode);
        await noReason.ReadProblemAsync(HttpStatusCode.BadRequest, "reason-required", Ct);
        await outsider.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "not-an-assignee", Ct);
        Assert.Equal(colleagueId, (await assigned.ReadJsonAsync(HttpStatusCode.OK, Ct))["userId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, oldHolder.StatusCode);
        Assert.Equal(taskId, Assert.Single(colleagueInbox["tasks"]!.AsArray())!["taskId"]!.GetValue<string>());
        Assert.Contains((await timeline.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(),
            e => e!["text"]!.GetValue<string>().Contains("改派", StringComparison.Ordinal) && e["text"]!.GetValue<string>().Contains("原调解员休假", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
    }

    [Fact]
    public async Task Complete_WhenSomeoneElseCompletedFirst_TheConflictSaysWhoAndWhen()
    {
        var (server, _, _, _, taskId) = await StartCaseAsync();
        await CreateUserAsync(server, "mediator-c1c");
        using var first = await server.SignedInClientAsync("mediator", Ct);
        using var second = await server.SignedInClientAsync("mediator-c1c", Ct);

        using var done = await first.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "agreed", data = new { note = "达成协议" } }, Ct);
        using var late = await second.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "failed", data = new { note = "未达成" } }, Ct);

        Assert.Equal(HttpStatusCode.OK, done.StatusCode);
        var problem = await late.ReadProblemAsync(HttpStatusCode.Conflict, "already-completed", Ct);
        Assert.Equal(Monday, problem["completedAt"]!.GetValue<DateTimeOffset>());
        Assert.EndsWith("*", problem["completedBy"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("agreed", problem["outcome"]!.GetValue<string>());
    }
}
