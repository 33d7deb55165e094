using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Tests.CaseFiles;
using Yishi.Server.Tests.Notifications;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.Sessions;

public sealed class SqliteSession : SessionScenario<SqliteTestDatabase>;

public sealed class PostgreSqlSession : SessionScenario<PostgreSqlTestDatabase>;

/// <summary>
/// Sessions of a case (调解会 / 协商会): the mediator who works the case schedules, moves and cancels them; the parties
/// are told each time; the journal notes each by id; bad requests name every field; other units see nothing.
/// </summary>
public abstract class SessionScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly TimeSpan Beijing = TimeSpan.FromHours(8);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ASession_IsScheduled_Listed_Journalled_AndThePartyIsTold()
    {
        NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        var server = NewServer(new Dictionary<string, string?>
        {
            ["Yishi:Notifications:PollInterval"] = "00:00:00.050",
            ["Yishi:Notifications:QuietFrom"] = "00:00",
            ["Yishi:Notifications:QuietUntil"] = "00:00",
        });
        var caseId = await NewCaseAsync(server, "session-told");
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var resident1 = await server.ClientForAsync("resident1", Ct);
        var startsAt = InBeijing(Now(server).AddDays(3));

        using var scheduled = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/sessions",
            new { kind = "mediation", startsAt, place = "海滨社区调解室", attendees = "调解员王秀英；申请人；被申请人", note = "请携带维修票据。" }, Ct);
        var session = await scheduled.ReadJsonAsync(HttpStatusCode.Created, Ct);
        using var forCase = await mediator.GetAsync($"/api/instances/{caseId}/sessions", Ct);
        using var upcoming = await mediator.GetAsync("/api/sessions", Ct);
        using var partyReads = await resident1.GetAsync($"/api/instances/{caseId}/sessions", Ct);

        Assert.Equal(("mediation", "海滨社区调解室", "scheduled", 0), (session["kind"]!.GetValue<string>(), session["place"]!.GetValue<string>(),
            session["status"]!.GetValue<string>(), session["revision"]!.GetValue<int>()));
        Assert.Equal(startsAt, session["startsAt"]!.GetValue<DateTimeOffset>());
        var id = session["id"]!.GetValue<string>();
        Assert.Equal([id], (await forCase.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Contains(id, (await upcoming.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Single((await partyReads.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
        var (text, notes) = await server.ReadNotesAsync(caseId, Ct);
        var note = Assert.Single(SessionNotes(notes));
        Assert.Equal(("session", id), (note["what"]!.GetValue<string>(), note["sessionId"]!.GetValue<string>()));
        Assert.DoesNotContain("海滨社区调解室", text, StringComparison.Ordinal);

        var inbox = await Eventually.UntilAsync(() => InboxAsync(resident1), items => items.Count > 0, Patience, Ct);
        var message = Assert.Single(inbox)!;
        Assert.Equal("notification:mediation/session-scheduled", message["kind"]!.GetValue<string>());
        Assert.Contains("海滨社区调解室", message["body"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadSession_IsRefused_EveryFieldNamed_AndAPastTimeByTheServersClock()
    {
        var server = NewServer();
        var caseId = await NewCaseAsync(server, "session-bad");
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var bad = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/sessions", new
        {
            kind = "party",
            startsAt = Now(server).AddMinutes(-1),
            place = " ",
            attendees = new string('人', 1_001),
            note = new string('注', 2_001),
        }, Ct);
        using var empty = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/sessions", new { }, Ct);
        using var farAhead = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/sessions",
            new { kind = "consultation", startsAt = Now(server).AddYears(2), place = "村委会议室" }, Ct);
        using var noCase = await mediator.PostAsJsonAsync("/api/instances/no-such-case/sessions", new { kind = "mediation", startsAt = Now(server).AddDays(1), place = "调解室" }, Ct);
        using var listed = await mediator.GetAsync($"/api/instances/{caseId}/sessions", Ct);

        Assert.Equal(["kind", "startsAt", "place", "attendees", "note"], await bad.ProblemFieldsAsync(Ct));
        Assert.Equal(["kind", "startsAt", "place"], await empty.ProblemFieldsAsync(Ct));
        Assert.Equal(["startsAt"], await farAhead.ProblemFieldsAsync(Ct));
        await noCase.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        Assert.Empty((await listed.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
    }

    [Fact]
    public async Task ACase_HasAtMostTenUpcomingSessions()
    {
        var server = NewServer();
        var caseId = await NewCaseAsync(server, "session-many");
        using var mediator = await server.ClientForAsync("mediator", Ct);
        for (var i = 1; i <= 10; i++)
        {
            using var ok = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/sessions", new { kind = "mediation", startsAt = Now(server).AddDays(i), place = "调解室" }, Ct);
            await ok.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using var eleventh = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/sessions", new { kind = "mediation", startsAt = Now(server).AddDays(11), place = "调解室" }, Ct);

        await eleventh.ReadProblemAsync(HttpStatusCode.Conflict, "too-many-sessions", Ct);
    }

    [Fact]
    public async Task ASession_IsMoved_ThenCancelledWithAReason_AndThenNeitherMovesNorListsAsUpcoming()
    {
        var server = NewServer();
        var caseId = await NewCaseAsync(server, "session-moved");
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var scheduled = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/sessions", new { kind = "mediation", startsAt = Now(server).AddDays(2), place = "调解室" }, Ct);
        var id = (await scheduled.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
        var later = InBeijing(Now(server).AddDays(4));

        using var moved = await mediator.PutAsJsonAsync($"/api/sessions/{id}", new { kind = "mediation", startsAt = later, place = "社区服务中心二楼" }, Ct);
        using var noReason = await mediator.PostAsJsonAsync($"/api/sessions/{id}/cancel", new { reason = " " }, Ct);
        using var cancelled = await mediator.PostAsJsonAsync($"/api/sessions/{id}/cancel", new { reason = "申请人住院" }, Ct);
        using var movedAgain = await mediator.PutAsJsonAsync($"/api/sessions/{id}", new { kind = "mediation", startsAt = later, place = "调解室" }, Ct);
        using var upcoming = await mediator.GetAsync("/api/sessions", Ct);
        var (_, notes) = await server.ReadNotesAsync(caseId, Ct);

        var afterMove = await moved.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal((later, "社区服务中心二楼", 1), (afterMove["startsAt"]!.GetValue<DateTimeOffset>(), afterMove["place"]!.GetValue<string>(), afterMove["revision"]!.GetValue<int>()));
        Assert.Equal(["reason"], await noReason.ProblemFieldsAsync(Ct));
        var afterCancel = await cancelled.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal(("cancelled", "申请人住院", 2), (afterCancel["status"]!.GetValue<string>(), afterCancel["cancelReason"]!.GetValue<string>(), afterCancel["revision"]!.GetValue<int>()));
        await movedAgain.ReadProblemAsync(HttpStatusCode.Conflict, "session-cancelled", Ct);
        Assert.DoesNotContain(id, (await upcoming.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Select(s => s!["id"]!.GetValue<string>()));
        Assert.Equal(["scheduled", "scheduled", "cancelled"], SessionNotes(notes).Select(n => n["status"]!.GetValue<string>()));
    }

    [Fact]
    public async Task OtherUnits_AndResidents_CannotScheduleMoveOrCancel_NorListUpcoming()
    {
        var server = NewServer();
        var caseId = await NewCaseAsync(server, "session-scope");
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var heping = await server.ClientForAsync("mediator2", Ct);
        using var party = await server.ClientForAsync("resident1", Ct);
        var body = new { kind = "mediation", startsAt = Now(server).AddDays(2), place = "调解室" };
        using var scheduled = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/sessions", body, Ct);
        var id = (await scheduled.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();

        using var otherSchedules = await heping.PostAsJsonAsync($"/api/instances/{caseId}/sessions", body, Ct);
        using var otherReads = await heping.GetAsync($"/api/instances/{caseId}/sessions", Ct);
        using var otherMoves = await heping.PutAsJsonAsync($"/api/sessions/{id}", body, Ct);
        using var otherCancels = await heping.PostAsJsonAsync($"/api/sessions/{id}/cancel", new { reason = "不在本社区" }, Ct);
        using var otherUpcoming = await heping.GetAsync("/api/sessions", Ct);
        using var partySchedules = await party.PostAsJsonAsync($"/api/instances/{caseId}/sessions", body, Ct);
        using var partyCancels = await party.PostAsJsonAsync($"/api/sessions/{id}/cancel", new { reason = "不想去" }, Ct);
        using var partyUpcoming = await party.GetAsync("/api/sessions", Ct);
        using var after = await mediator.GetAsync($"/api/instances/{caseId}/sessions", Ct);

        await otherSchedules.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await otherReads.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await otherMoves.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await otherCancels.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        Assert.Empty((await otherUpcoming.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, partySchedules.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, partyCancels.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, partyUpcoming.StatusCode);
        var only = Assert.Single((await after.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray())!;
        Assert.Equal(("scheduled", 0), (only["status"]!.GetValue<string>(), only["revision"]!.GetValue<int>()));
    }

    /// <summary>The server's own clock: a session is judged "in the past" by it, not by the test machine's.</summary>
    private static DateTimeOffset Now(YishiFactory server) => server.Services.GetRequiredService<TimeProvider>().GetUtcNow();

    /// <summary>A time as the workbench sends it, in Beijing time, to the second.</summary>
    private static DateTimeOffset InBeijing(DateTimeOffset at) => new DateTimeOffset(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero).ToOffset(Beijing);

    /// <summary>The journal's notes about sessions (linking the parties is noted too).</summary>
    private static List<JsonNode> SessionNotes(List<JsonNode> notes) =>
        [.. notes.Select(n => n["data"]!).Where(d => d["what"]?.GetValue<string>() == "session")];

    private static async Task<string> NewCaseAsync(YishiFactory server, string definitionId)
    {
        await server.PublishAsync(SampleWorkflows.Mediation(definitionId), definitionId, Ct);
        return await server.StartWithPartiesAsync(definitionId, [new { userId = await server.UserIdAsync("resident1", Ct), role = "applicant" }], Ct);
    }

    private static async Task<JsonArray> InboxAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/inbox", Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
    }
}
