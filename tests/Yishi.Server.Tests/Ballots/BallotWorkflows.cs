using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.Ballots;

/// <summary>Workflows with a Ballot step, and the registry rows the scenarios import.</summary>
internal static class BallotWorkflows
{
    private static readonly string[] OfficerRole = ["officer"];

    /// <summary>Start → Ballot (properties as given) → one End per outcome, the outcome as the result.</summary>
    public static string Vote(string definitionId, string properties) => $$"""
        {
          "definitionId": "{{definitionId}}",
          "name": { "zh-CN": "村规民约表决", "en": "Village rule vote" },
          "variables": [ { "name": "result", "type": "object" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "vote", "type": "Ballot", "properties": {
                "title": { "zh-CN": "东坪村村规民约（修订稿）", "en": "Dongping village rules (revised)" },
                "variable": "result",
                {{properties}} } },
            { "id": "adopted", "type": "End", "properties": { "result": "activities.vote.outcome" } },
            { "id": "rejected", "type": "End", "properties": { "result": "activities.vote.outcome" } },
            { "id": "noQuorum", "type": "End", "properties": { "result": "activities.vote.outcome" } }
          ],
          "connections": [
            { "from": "start", "to": "vote" },
            { "from": "vote", "outcome": "passed", "to": "adopted" },
            { "from": "vote", "outcome": "rejected", "to": "rejected" },
            { "from": "vote", "outcome": "no_quorum", "to": "noQuorum" }
          ]
        }
        """;

    /// <summary>Start → Ballot → tell the electorate the result (template ballot/result) → End.</summary>
    public static string VoteWithNotice(string definitionId) => $$"""
        {
          "definitionId": "{{definitionId}}",
          "name": { "zh-CN": "居民公约表决", "en": "Residents' convention vote" },
          "variables": [ { "name": "ballot_title", "type": "string" }, { "name": "ballot_result", "type": "object" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "vote", "type": "Ballot", "properties": {
                "title": "西坪村村规民约", "variable": "ballot_result", "rule": "simple-majority",
                "notice": { "days": 1 }, "votingPeriod": { "days": 2 } } },
            { "id": "tell", "type": "Notify", "properties": { "template": "ballot/result", "to": [ { "electorate": "vote" } ], "channels": [ "inapp" ] } },
            { "id": "done", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "vote" },
            { "from": "vote", "outcome": "passed", "to": "tell" },
            { "from": "vote", "outcome": "rejected", "to": "tell" },
            { "from": "vote", "outcome": "no_quorum", "to": "tell" },
            { "from": "tell", "to": "done" }
          ]
        }
        """;

    /// <summary>One line of the registry CSV.</summary>
    public sealed record Resident(string Name, string Phone, string OrgUnit, DateOnly BirthDate, string Household = "", bool HouseholdRepresentative = false,
        bool Representative = false, bool Verified = true)
    {
        public string Line => string.Join(',', Name, Phone, OrgUnit, Household, HouseholdRepresentative ? "yes" : "no", BirthDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Representative ? "yes" : "no", Verified ? "yes" : "no");
    }

    /// <summary><paramref name="count"/> verified adults in <paramref name="orgUnit"/>, phones from <paramref name="firstPhone"/>.</summary>
    public static List<Resident> Adults(int count, long firstPhone, string orgUnit = "v9-g1") =>
        [.. Enumerable.Range(0, count).Select(i => new Resident($"村民{i}", (firstPhone + i).ToString(System.Globalization.CultureInfo.InvariantCulture), orgUnit,
            new DateOnly(1970, 1, 1).AddDays(i % 5000)))];

    /// <summary>
    /// admin imports the residents, into a village of the test's own (西坪村, v9, groups v9-g1 and v9-g2) so the demo
    /// residents are on no roll the test counts.
    /// </summary>
    public static async Task ImportAsync(this WebApplicationFactory<Program> server, IEnumerable<Resident> residents, CancellationToken cancellationToken)
    {
        using var admin = await server.SignedInClientAsync("admin", cancellationToken);
        foreach (var (id, parent, kind, name) in new[] { ("v9", "s1", "village", "西坪村"), ("v9-g1", "v9", "grid", "西坪一组"), ("v9-g2", "v9", "grid", "西坪二组") })
        {
            using var unit = await admin.PostAsJsonAsync("/api/admin/org-units", new { id, parentId = parent, kind, name, nameEn = id }, cancellationToken);
            Assert.True(unit.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"org unit {id}: {(int)unit.StatusCode}");
        }

        var csv = new StringBuilder("name,phone,org_unit,household,household_representative,birth_date,representative,verified\n");
        foreach (var resident in residents)
        {
            csv.Append(resident.Line).Append('\n');
        }

        using var content = new StringContent(csv.ToString());
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        using var imported = await admin.PostAsync("/api/admin/residents/import", content, cancellationToken);
        await imported.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>staff publishes the workflow and admin starts a case in <paramref name="orgUnitId"/>; answers the instance id.</summary>
    public static async Task<string> StartAsync(this WebApplicationFactory<Program> server, string document, string definitionId, string orgUnitId,
        CancellationToken cancellationToken, JsonObject? input = null)
    {
        using var staff = await server.SignedInClientAsync("staff", cancellationToken);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(document), cancellationToken))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, cancellationToken);
        }

        using (var published = await staff.PostAsync($"/api/definitions/{definitionId}/publish", null, cancellationToken))
        {
            await published.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
        }

        using var admin = await server.SignedInClientAsync("admin", cancellationToken);
        using var started = await admin.PostAsJsonAsync("/api/instances", new { definitionId, orgUnitId, input }, cancellationToken);
        return (await started.ReadJsonAsync(HttpStatusCode.Created, cancellationToken))["id"]!.GetValue<string>();
    }

    /// <summary>Waits until the case's ballot has been given notice; answers it as staff see it.</summary>
    public static async Task<JsonObject> BallotOfAsync(this WebApplicationFactory<Program> server, string instanceId, CancellationToken cancellationToken)
    {
        using var staff = await server.SignedInClientAsync("admin", cancellationToken);
        var ballots = await Eventually.UntilAsync(async () =>
        {
            using var list = await staff.GetAsync("/api/ballots", cancellationToken);
            return (await list.ReadJsonAsync(HttpStatusCode.OK, cancellationToken)).AsArray();
        }, b => b.Any(x => x!["instanceId"]!.GetValue<string>() == instanceId), TimeSpan.FromSeconds(30), cancellationToken);
        return ballots.First(x => x!["instanceId"]!.GetValue<string>() == instanceId)!.AsObject();
    }

    /// <summary>Waits until the ballot is closed and counted; answers the result as <paramref name="client"/> reads it.</summary>
    public static async Task<JsonNode> ClosedResultAsync(HttpClient client, string ballotId, CancellationToken cancellationToken) =>
        await Eventually.UntilAsync(async () =>
        {
            using var result = await client.GetAsync($"/api/ballots/{ballotId}/result", cancellationToken);
            return result.StatusCode == HttpStatusCode.OK ? await result.ReadJsonAsync(HttpStatusCode.OK, cancellationToken) : null;
        }, r => r is not null && r["auditHead"] is not null, TimeSpan.FromSeconds(30), cancellationToken) ?? throw new InvalidOperationException("No result.");

    /// <summary>admin adds a ballot officer in the village.</summary>
    public static async Task CreateOfficerAsync(this WebApplicationFactory<Program> server, string userName, CancellationToken cancellationToken)
    {
        using var admin = await server.SignedInClientAsync("admin", cancellationToken);
        using var created = await admin.PostAsJsonAsync("/api/admin/users",
            new { userName, displayName = "监票员" + userName, password = YishiFactory.DemoPassword, orgUnitId = "v9", roles = OfficerRole }, cancellationToken);
        await created.ReadJsonAsync(HttpStatusCode.Created, cancellationToken);
    }

    /// <summary>POSTs a vote.</summary>
    public static Task<HttpResponseMessage> VoteAsync(this HttpClient voter, string ballotId, object choices, string? receipt = null, CancellationToken cancellationToken = default) =>
        voter.PostAsJsonAsync($"/api/ballots/{ballotId}/votes", new { choices, receipt }, cancellationToken);
}
