using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Tests.Ballots;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Dashboard;

public sealed class SqliteDashboard : DashboardScenario<SqliteTestDatabase>;

public sealed class PostgreSqlDashboard : DashboardScenario<PostgreSqlTestDatabase>;

/// <summary>The dashboard's figures for cases, tasks, a transfer and a ballot made through the API on a clock the test moves.</summary>
public abstract class DashboardScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    // Monday 28 September 2026, 10:00 in Beijing: the National Day holiday (1–7 October) falls inside the cases' lives.
    private static readonly DateTimeOffset Monday = new(2026, 9, 28, 10, 0, 0, TimeSpan.FromHours(8));

    private const string Mediation = """
        {
          "definitionId": "dash-mediation",
          "name": { "zh-CN": "邻里调解", "en": "Neighbour mediation" },
          "variables": [ { "name": "caseTitle", "type": "string" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "mediate", "type": "HumanTask", "properties": {
                "title": { "zh-CN": "调解", "en": "Mediate" }, "assignee": { "role": "mediator" }, "outcomes": [ "agreed" ], "due": "P2D" } },
            { "id": "done", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "mediate" }, { "from": "mediate", "outcome": "agreed", "to": "done" } ]
        }
        """;

    [Fact]
    public async Task TheDashboard_CountsOpenCasesOverdueTasksHandlingTimeTransfersAndTurnout_WithinTheViewersUnits()
    {
        var clock = new ManualClock();
        clock.Advance(Monday - clock.GetUtcNow());
        var server = NewServer().WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        using var staff = await server.SignedInClientAsync("staff", Ct);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(Mediation), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using (var published = await staff.PostAsync("/api/definitions/dash-mediation/publish", null, Ct))
        {
            await published.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        using var mediator = await server.SignedInClientAsync("mediator", Ct);
        using var mediator2 = await server.SignedInClientAsync("mediator2", Ct);
        using var supervisor = await server.SignedInClientAsync("supervisor", Ct);
        var (a, taskA) = await StartAsync(mediator);
        var (b, _) = await StartAsync(mediator);
        var (c, _) = await StartAsync(mediator);
        await StartAsync(mediator2);
        using (var handed = await mediator.PostAsJsonAsync($"/api/instances/{c}/transfer", new { orgUnitId = "c2", reason = "属地管理" }, Ct))
        {
            await handed.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        // Ten days on, the day after the holiday: case A is settled; the other three passed their two-day deadline.
        clock.Advance(TimeSpan.FromDays(10));
        using (var completed = await mediator.PostAsJsonAsync($"/api/tasks/{taskA}/complete", new { outcome = "agreed" }, Ct))
        {
            await completed.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        // A ballot in a village of its own under the street: four on the roll, two vote.
        var residents = BallotWorkflows.Adults(4, 13800007001);
        await server.ImportAsync(residents, Ct);
        var vote = await server.StartAsync(BallotWorkflows.Vote("dash-vote", """
            "rule": "simple-majority", "notice": { "days": 1 }, "votingPeriod": { "days": 3 }, "secret": false, "resultsHidden": false
            """), "dash-vote", "v9", Ct);
        var ballotId = (await server.BallotOfAsync(vote, Ct))["id"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromDays(1));
        var tokens = await server.TokensByPhoneAsync([.. residents.Select(r => r.Phone)], Ct);
        foreach (var voter in residents.Take(2))
        {
            using var client = server.ClientWith(tokens[voter.Phone]);
            using var cast = await client.VoteAsync(ballotId, new { q1 = "yes" }, cancellationToken: Ct);
            await cast.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        // The street's supervisor sees both communities and the village.
        var street = await DashboardAsync(supervisor, "");
        Assert.Equal(4, street["openCases"]!.GetValue<int>());
        var mediation = Row(street["openByWorkflow"]!, "definitionId", "dash-mediation");
        Assert.Equal((3, 3, "邻里调解", "Neighbour mediation"), (mediation["open"]!.GetValue<int>(), mediation["waiting"]!.GetValue<int>(),
            mediation["name"]!["zh"]!.GetValue<string>(), mediation["name"]!["en"]!.GetValue<string>()));
        Assert.Equal(1, Row(street["openByWorkflow"]!, "definitionId", "dash-vote")["open"]!.GetValue<int>());
        var mediate = Row(street["openBySteps"]!, "activityId", "mediate");
        Assert.Equal(("HumanTask", 3, "调解", "Mediate"), (mediate["kind"]!.GetValue<string>(), mediate["cases"]!.GetValue<int>(),
            mediate["name"]!["zh"]!.GetValue<string>(), mediate["name"]!["en"]!.GetValue<string>()));
        var voting = Row(street["openBySteps"]!, "activityId", "vote");
        // The ballot step has no canvas label: it is named by its id, not by the title of the matter voted on.
        Assert.Equal(("Ballot", 1, "vote"), (voting["kind"]!.GetValue<string>(), voting["cases"]!.GetValue<int>(), voting["name"]!["en"]!.GetValue<string>()));
        Assert.Equal(3, street["overdue"]!["total"]!.GetValue<int>());
        // 28 September to 8 October: 8 weekdays, of which the National Day holiday takes 5: 3 working days.
        Assert.Equal(1, street["handling"]!["completed"]!.GetValue<int>());
        Assert.Equal(3.0, street["handling"]!["averageWorkingDays"]!.GetValue<double>());
        Assert.Equal(1, street["transfers"]!["total"]!.GetValue<int>());
        Assert.Equal(("c2", 1), (street["transfers"]!["byReceivingUnit"]![0]!["orgUnitId"]!.GetValue<string>(), street["transfers"]!["byReceivingUnit"]![0]!["count"]!.GetValue<int>()));
        var ballot = street["ballots"]!.AsArray().Single()!;
        Assert.Equal((ballotId, "open", 4, 2, 50.0), (ballot["ballotId"]!.GetValue<string>(), ballot["status"]!.GetValue<string>(), ballot["electorate"]!.GetValue<int>(),
            ballot["voted"]!.GetValue<int>(), ballot["turnoutPercent"]!.GetValue<double>()));

        // A community's mediator sees their own: case B (C went to the other community, A is done), the transfer they made, no ballot.
        var community = await DashboardAsync(mediator, "");
        Assert.Equal((1, 1, 1, 1, 0), (community["openCases"]!.GetValue<int>(), community["overdue"]!["total"]!.GetValue<int>(),
            community["handling"]!["completed"]!.GetValue<int>(), community["transfers"]!["total"]!.GetValue<int>(), community["ballots"]!.AsArray().Count));
        Assert.Equal("c1", community["orgUnitId"]!.GetValue<string>());
        var offered = community["orgUnits"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()).ToList();
        Assert.Contains("c1", offered);
        Assert.DoesNotContain("c2", offered);
        Assert.DoesNotContain("s1", offered);
        Assert.Contains(community["workflows"]!.AsArray(), w => w!["id"]!.GetValue<string>() == "dash-mediation" && w["name"]!["en"]!.GetValue<string>() == "Neighbour mediation");
        Assert.Contains(street["orgUnits"]!.AsArray(), u => u!["id"]!.GetValue<string>() == "c2");

        // Filters: one unit within the street, one workflow.
        var other = await DashboardAsync(supervisor, "?orgUnitId=c2");
        Assert.Equal((2, 2, 0, 1), (other["openCases"]!.GetValue<int>(), other["overdue"]!["total"]!.GetValue<int>(), other["handling"]!["completed"]!.GetValue<int>(),
            other["transfers"]!["total"]!.GetValue<int>()));
        var votes = await DashboardAsync(supervisor, "?definitionId=dash-vote&days=90");
        Assert.Equal((1, 0, 0, 1, 90), (votes["openCases"]!.GetValue<int>(), votes["transfers"]!["total"]!.GetValue<int>(), votes["handling"]!["completed"]!.GetValue<int>(),
            votes["ballots"]!.AsArray().Count, votes["days"]!.GetValue<int>()));
        Assert.Null(votes["handling"]!["averageWorkingDays"]);

        // Forty days later the settled case and the transfer have left the 30-day period but not the 90-day one.
        clock.Advance(TimeSpan.FromDays(40));
        var month = await DashboardAsync(supervisor, "?definitionId=dash-mediation&days=30");
        Assert.Equal((0, 0, 3), (month["handling"]!["completed"]!.GetValue<int>(), month["transfers"]!["total"]!.GetValue<int>(), month["openCases"]!.GetValue<int>()));
        var quarter = await DashboardAsync(supervisor, "?definitionId=dash-mediation&days=90");
        Assert.Equal((1, 1), (quarter["handling"]!["completed"]!.GetValue<int>(), quarter["transfers"]!["total"]!.GetValue<int>()));
    }

    [Fact]
    public async Task TheDashboard_RefusesAnotherCommunityAnUnknownUnitAndAnUnknownPeriod()
    {
        var server = NewServer();
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using (var outside = await mediator.GetAsync("/api/dashboard?orgUnitId=c2", Ct))
        {
            await outside.ReadProblemAsync(HttpStatusCode.Forbidden, "outside-your-org-unit", Ct);
        }

        using (var above = await mediator.GetAsync("/api/dashboard?orgUnitId=s1", Ct))
        {
            await above.ReadProblemAsync(HttpStatusCode.Forbidden, "outside-your-org-unit", Ct);
        }

        using (var unknown = await mediator.GetAsync("/api/dashboard?orgUnitId=c9", Ct))
        {
            await unknown.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        }

        using (var week = await mediator.GetAsync("/api/dashboard?days=7", Ct))
        {
            await week.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        }

        using var resident = await server.ClientForAsync("resident1", Ct);
        using var refused = await resident.GetAsync("/api/dashboard", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static async Task<(string InstanceId, string TaskId)> StartAsync(HttpClient mediator)
    {
        using var started = await mediator.PostAsJsonAsync("/api/instances", new { definitionId = "dash-mediation", input = new JsonObject { ["caseTitle"] = "楼上漏水" } }, Ct);
        var body = await started.ReadJsonAsync(HttpStatusCode.Created, Ct);
        return (body["id"]!.GetValue<string>(), body["tasks"]![0]!["id"]!.GetValue<string>());
    }

    private static async Task<JsonNode> DashboardAsync(HttpClient client, string query)
    {
        using var response = await client.GetAsync("/api/dashboard" + query, Ct);
        return await response.ReadJsonAsync(HttpStatusCode.OK, Ct);
    }

    private static JsonNode Row(JsonNode rows, string key, string value) => rows.AsArray().Single(r => r![key]!.GetValue<string>() == value)!;
}
