using System.Net;
using System.Net.Http.Json;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.CaseFiles;

public sealed class SqliteCaseFile : CaseFileScenario<SqliteTestDatabase>;

public sealed class PostgreSqlCaseFile : CaseFileScenario<PostgreSqlTestDatabase>;

/// <summary>
/// The case file's details (category, source, risk level, risk of escalation): staff who work the case set them, a bad
/// value is refused with its field named, raising the risk of escalation shows in the journal, and whoever may read the
/// case reads the file — a resident party without the risk assessment or the other parties.
/// </summary>
public abstract class CaseFileScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task Details_RoundTrip_AndAFieldLeftOutIsCleared()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("details"), "details", Ct);
        var (caseId, _) = await server.StartAsync("details", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        var empty = await mediator.ReadFileAsync(caseId, Ct);
        using var first = await mediator.PutAsJsonAsync($"/api/instances/{caseId}/file",
            new { category = "邻里纠纷", source = "walk-in", riskLevel = "medium", escalationRisk = false }, Ct);
        var afterFirst = await mediator.ReadFileAsync(caseId, Ct);
        using var own = await mediator.PutAsJsonAsync($"/api/instances/{caseId}/file",
            new { category = " 宅基地纠纷 ", source = "hotline", riskLevel = "high", escalationRisk = true }, Ct);
        using var cleared = await mediator.PutAsJsonAsync($"/api/instances/{caseId}/file", new { source = "grid", escalationRisk = true }, Ct);

        Assert.Equal((caseId, null, null, null, false, null), (empty["instanceId"]!.GetValue<string>(), empty["category"], empty["source"], empty["riskLevel"],
            empty["escalationRisk"]!.GetValue<bool>(), empty["updatedAt"]));
        Assert.Empty(empty["parties"]!.AsArray());
        Assert.Empty(empty["records"]!.AsArray());
        await first.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal(("邻里纠纷", "walk-in", "medium", false), Details(afterFirst));
        Assert.NotNull(afterFirst["updatedAt"]);
        // A committee's own category is kept as written, trimmed.
        Assert.Equal(("宅基地纠纷", "hotline", "high", true), Details(await own.ReadJsonAsync(HttpStatusCode.OK, Ct)));
        var last = await cleared.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal((null, "grid", null, true), (last["category"]?.GetValue<string>(), last["source"]!.GetValue<string>(), last["riskLevel"]?.GetValue<string>(),
            last["escalationRisk"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task BadDetails_AreRefused_EachFieldNamed_AndNothingChanges()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("bad-details"), "bad-details", Ct);
        var (caseId, _) = await server.StartAsync("bad-details", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using (var set = await mediator.PutAsJsonAsync($"/api/instances/{caseId}/file", new { category = "物业纠纷", escalationRisk = false }, Ct))
        {
            await set.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        using var bad = await mediator.PutAsJsonAsync($"/api/instances/{caseId}/file",
            new { category = new string('纠', 33), source = "email", riskLevel = "extreme" }, Ct);
        using var control = await mediator.PutAsJsonAsync($"/api/instances/{caseId}/file", new { category = "物业\n纠纷", escalationRisk = true }, Ct);

        var problem = await bad.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        Assert.Equal(["category", "source", "riskLevel", "escalationRisk"], problem["problems"]!.AsArray().Select(p => p!["property"]!.GetValue<string>()));
        Assert.Equal(["invalid-category", "invalid-source", "invalid-risk-level", "required"], problem["problems"]!.AsArray().Select(p => p!["code"]!.GetValue<string>()));
        Assert.Contains("walk-in, hotline, grid, initiative, api", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(["category"], await control.ProblemFieldsAsync(Ct));
        Assert.Equal(("物业纠纷", null, null, false), Details(await mediator.ReadFileAsync(caseId, Ct)));
    }

    [Fact]
    public async Task RaisingTheRiskOfEscalation_ShowsInTheJournal_AndAnUnchangedFileNotesNothing()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("escalation"), "escalation", Ct);
        var (caseId, _) = await server.StartAsync("escalation", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        object[] changes =
        [
            new { category = "土地承包", source = "grid", riskLevel = "low", escalationRisk = false },
            new { category = "土地承包", source = "grid", riskLevel = "high", escalationRisk = true },
            new { category = "土地承包", source = "grid", riskLevel = "high", escalationRisk = true },
            new { category = "土地承包", source = "grid", riskLevel = "medium", escalationRisk = false },
        ];

        foreach (var change in changes)
        {
            using var put = await mediator.PutAsJsonAsync($"/api/instances/{caseId}/file", change, Ct);
            await put.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        var (text, notes) = await server.ReadNotesAsync(caseId, Ct);

        Assert.Equal(3, notes.Count);
        Assert.All(notes, n => Assert.Equal("file", n["data"]!["what"]!.GetValue<string>()));
        Assert.Equal(["category", "source", "riskLevel"], Fields(notes[0]));
        Assert.Null(notes[0]["data"]!["escalation"]);
        Assert.Equal(["riskLevel", "escalationRisk"], Fields(notes[1]));
        Assert.Equal("raised", notes[1]["data"]!["escalation"]!.GetValue<string>());
        Assert.StartsWith("Risk of escalation raised", notes[1]["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("lowered", notes[2]["data"]!["escalation"]!.GetValue<string>());
        // Field names only: the values stay in the file.
        Assert.DoesNotContain("土地承包", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheFile_IsReadByTheCasesReaders_AndChangedOnlyByTheStaffWhoWorkIt()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("readers"), "readers", Ct);
        var applicant = await server.UserIdAsync("resident1", Ct);
        var caseId = await server.StartWithPartiesAsync("readers",
            [new { userId = applicant, role = "applicant" }, new { name = "张丽华", phone = "13900001111", role = "respondent" }], Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var heping = await server.ClientForAsync("mediator2", Ct);
        using var supervisor = await server.ClientForAsync("supervisor", Ct);
        using var party = await server.ClientForAsync("resident1", Ct);
        using var stranger = await server.ClientForAsync("resident2", Ct);
        using (var set = await mediator.PutAsJsonAsync($"/api/instances/{caseId}/file", new { category = "邻里纠纷", source = "walk-in", riskLevel = "high", escalationRisk = true }, Ct))
        {
            await set.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        var partyView = await party.ReadFileAsync(caseId, Ct);
        using var partyChange = await party.PutAsJsonAsync($"/api/instances/{caseId}/file", new { escalationRisk = false }, Ct);
        using var otherCommunity = await heping.GetAsync($"/api/instances/{caseId}/file", Ct);
        using var otherCommunityChange = await heping.PutAsJsonAsync($"/api/instances/{caseId}/file", new { escalationRisk = false }, Ct);
        using var unrelated = await stranger.GetAsync($"/api/instances/{caseId}/file", Ct);
        using var street = await supervisor.PutAsJsonAsync($"/api/instances/{caseId}/file", new { category = "邻里纠纷", source = "walk-in", riskLevel = "medium", escalationRisk = true }, Ct);

        // The party sees the case's category and themselves, not how staff rate the risk nor the other side.
        Assert.Equal(("邻里纠纷", "walk-in"), (partyView["category"]!.GetValue<string>(), partyView["source"]!.GetValue<string>()));
        Assert.Null(partyView["riskLevel"]);
        Assert.Null(partyView["escalationRisk"]);
        Assert.Equal(applicant, Assert.Single(partyView["parties"]!.AsArray())!["userId"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Forbidden, partyChange.StatusCode);
        await otherCommunity.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await otherCommunityChange.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        await unrelated.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        // The street office above the community works the case too, and sees every party.
        var streetView = await street.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal("medium", streetView["riskLevel"]!.GetValue<string>());
        Assert.Equal(2, streetView["parties"]!.AsArray().Count);
    }

    private static (string?, string?, string?, bool?) Details(System.Text.Json.Nodes.JsonNode file) =>
        (file["category"]?.GetValue<string>(), file["source"]?.GetValue<string>(), file["riskLevel"]?.GetValue<string>(), file["escalationRisk"]?.GetValue<bool>());

    private static List<string> Fields(System.Text.Json.Nodes.JsonNode note) => [.. note["data"]!["fields"]!.AsArray().Select(f => f!.GetValue<string>())];
}
