using System.Net;
using System.Net.Http.Json;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.CaseFiles;

public sealed class SqliteCaseRecord : CaseRecordScenario<SqliteTestDatabase>;

public sealed class PostgreSqlCaseRecord : CaseRecordScenario<PostgreSqlTestDatabase>;

/// <summary>
/// Records in the case file (minutes of sessions, visits, notes): staff who work the case add them, every reader of the
/// case reads them — the resident who is a party too — and the journal notes each by id and kind, never its text.
/// </summary>
public abstract class CaseRecordScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    // In China time, as a workbench sends it: PostgreSQL stores only UTC, so the server must convert it.
    private static readonly DateTimeOffset SessionHeldAt = new(2026, 11, 20, 10, 0, 0, TimeSpan.FromHours(8));

    private static object Session => new
    {
        kind = "session",
        title = "第一次调解",
        text = "双方陈述了漏水经过，申请人张丽华要求赔偿维修费用 2000 元。",
        heldAt = SessionHeldAt,
        place = "海滨社区调解室",
        attendees = "调解员王秀英；申请人张丽华；被申请人李建国",
    };

    [Fact]
    public async Task Records_AreAddedAndListedOldestFirst_AndInTheFile()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("minutes"), "minutes", Ct);
        var (caseId, _) = await server.StartAsync("minutes", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var session = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/records", Session, Ct);
        using var note = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/records", new { kind = "note", title = "电话回访", text = "申请人表示维修已完成。" }, Ct);
        using var listed = await mediator.GetAsync($"/api/instances/{caseId}/records", Ct);
        var file = await mediator.ReadFileAsync(caseId, Ct);

        var added = await session.ReadJsonAsync(HttpStatusCode.Created, Ct);
        Assert.Equal(("session", "第一次调解", "海滨社区调解室"), (added["kind"]!.GetValue<string>(), added["title"]!.GetValue<string>(), added["place"]!.GetValue<string>()));
        Assert.Equal(SessionHeldAt, added["heldAt"]!.GetValue<DateTimeOffset>());
        Assert.Matches(@"^\p{IsCJKUnifiedIdeographs}\*+$", added["author"]!.GetValue<string>());
        await note.ReadJsonAsync(HttpStatusCode.Created, Ct);
        var records = (await listed.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        Assert.Equal(["session", "note"], records.Select(r => r!["kind"]!.GetValue<string>()));
        Assert.Equal(added["id"]!.GetValue<string>(), records[0]!["id"]!.GetValue<string>());
        Assert.Null(records[1]!["heldAt"]);
        Assert.Equal(["第一次调解", "电话回访"], file["records"]!.AsArray().Select(r => r!["title"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AResidentParty_ReadsTheRecords_AnotherCommunityAndAnUnrelatedResidentDoNot()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("party-reads"), "party-reads", Ct);
        var caseId = await server.StartWithPartiesAsync("party-reads", [new { userId = await server.UserIdAsync("resident1", Ct), role = "applicant" }], Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var heping = await server.ClientForAsync("mediator2", Ct);
        using var party = await server.ClientForAsync("resident1", Ct);
        using var stranger = await server.ClientForAsync("resident2", Ct);
        using (var added = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/records", Session, Ct))
        {
            await added.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using var partyList = await party.GetAsync($"/api/instances/{caseId}/records", Ct);
        using var partyWrites = await party.PostAsJsonAsync($"/api/instances/{caseId}/records", Session, Ct);
        using var otherCommunity = await heping.GetAsync($"/api/instances/{caseId}/records", Ct);
        using var otherCommunityWrites = await heping.PostAsJsonAsync($"/api/instances/{caseId}/records", Session, Ct);
        using var unrelated = await stranger.GetAsync($"/api/instances/{caseId}/records", Ct);
        var partyFile = await party.ReadFileAsync(caseId, Ct);

        var seen = Assert.Single((await partyList.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray())!;
        Assert.Equal("第一次调解", seen["title"]!.GetValue<string>());
        Assert.Single(partyFile["records"]!.AsArray());
        Assert.Equal(HttpStatusCode.Forbidden, partyWrites.StatusCode);
        await otherCommunity.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await otherCommunityWrites.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await unrelated.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        using var after = await mediator.GetAsync($"/api/instances/{caseId}/records", Ct);
        Assert.Single((await after.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
    }

    [Fact]
    public async Task ABadRecord_IsRefused_EveryFieldNamed()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("bad-record"), "bad-record", Ct);
        var (caseId, _) = await server.StartAsync("bad-record", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var bad = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/records", new
        {
            kind = "minutes",
            title = " ",
            text = new string('字', 20_001),
            heldAt = DateTimeOffset.UtcNow.AddYears(1),
            place = new string('地', 201),
            attendees = new string('人', 1_001),
        }, Ct);
        using var empty = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/records", new { }, Ct);
        using var noCase = await mediator.PostAsJsonAsync("/api/instances/no-such-case/records", Session, Ct);
        using var listed = await mediator.GetAsync($"/api/instances/{caseId}/records", Ct);

        Assert.Equal(["kind", "title", "text", "place", "attendees", "heldAt"], await bad.ProblemFieldsAsync(Ct));
        Assert.Equal(["kind", "title", "text"], await empty.ProblemFieldsAsync(Ct));
        await noCase.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        Assert.Empty((await listed.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
    }

    [Fact]
    public async Task AddingARecord_IsNotedInTheJournal_ByIdAndKindOnly()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("record-noted"), "record-noted", Ct);
        var (caseId, _) = await server.StartAsync("record-noted", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var added = await mediator.PostAsJsonAsync($"/api/instances/{caseId}/records", Session, Ct);
        var recordId = (await added.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
        var (text, notes) = await server.ReadNotesAsync(caseId, Ct);

        var data = Assert.Single(notes)["data"]!;
        Assert.Equal(("record", recordId, "session"), (data["what"]!.GetValue<string>(), data["recordId"]!.GetValue<string>(), data["kind"]!.GetValue<string>()));
        foreach (var secret in new[] { "张丽华", "第一次调解", "海滨社区调解室", "赔偿维修费用" })
        {
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        }
    }
}
