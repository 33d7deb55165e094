using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Data;
using Yishi.Server.Tests.Notifications;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.CaseFiles;

public sealed class SqlitePartyNotify : PartyNotifyScenario<SqliteTestDatabase>;

public sealed class PostgreSqlPartyNotify : PartyNotifyScenario<PostgreSqlTestDatabase>;

/// <summary>
/// A Notify to the case's parties (<c>{"parties": "applicant"}</c>, <c>{"parties": "*"}</c>): parties with an account get
/// the message as users (in-app for the demo residents), parties without one by SMS to the phone staff recorded.
/// </summary>
public abstract class PartyNotifyScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string ApplicantPhone = "13900001111";
    private const string RespondentPhone = "13900002222";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private FakeSmsGateway? _sms;

    [Fact]
    public async Task NotifyToTheApplicants_ReachesTheUserPartyInApp_AndThePartyWithoutAnAccountBySms()
    {
        var (server, caseId) = await CloseCaseAsync("tell-applicants", "applicant");
        using var resident1 = await server.ClientForAsync("resident1", Ct);

        await Eventually.UntilAsync(() => _sms!.Delivered.Count >= 1, Patience, Ct);
        var inbox = await Eventually.UntilAsync(async () => await InboxAsync(resident1), items => items.Count > 0, Patience, Ct);

        Assert.Equal("notification:case/rate", Assert.Single(inbox)!["kind"]!.GetValue<string>());
        Assert.Equal(ApplicantPhone, Assert.Single(_sms!.Delivered).To);
        Assert.Equal(
            [("inapp", await server.UserIdAsync("resident1", Ct)), ("sms", ApplicantPhone)],
            await DeliveriesAsync(server, caseId));
        using var resident2 = await server.ClientForAsync("resident2", Ct);
        Assert.Empty(await InboxAsync(resident2));
        Assert.DoesNotContain(server.Logs.Lines, l => l.Contains(ApplicantPhone, StringComparison.Ordinal));
    }

    [Fact]
    public async Task NotifyToEveryParty_ReachesThemAll()
    {
        var (server, caseId) = await CloseCaseAsync("tell-everyone", "*");

        await Eventually.UntilAsync(() => _sms!.Delivered.Count >= 2, Patience, Ct);
        var deliveries = await Eventually.UntilAsync(() => DeliveriesAsync(server, caseId), rows => rows.Count >= 4, Patience, Ct);

        string[] users = [await server.UserIdAsync("resident1", Ct), await server.UserIdAsync("resident2", Ct)];
        Assert.Equal(
            [.. users.Select(u => ("inapp", u)).OrderBy(d => d.Item2, StringComparer.Ordinal), ("sms", ApplicantPhone), ("sms", RespondentPhone)],
            deliveries);
        Assert.Equal([ApplicantPhone, RespondentPhone], _sms!.Delivered.Select(s => s.To).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task APartyRoleThatCannotBeOne_IsAnErrorOnTo()
    {
        NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(Workflow("tell-nobody", "Applicant")), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using var refused = await staff.PostAsync("/api/definitions/tell-nobody/publish", null, Ct);

        var problems = (await refused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-definition", Ct))["problems"]!.AsArray();
        var problem = Assert.Single(problems)!;
        Assert.Equal(("to", "/activities/2/properties/to/0"), (problem["property"]!.GetValue<string>(), problem["path"]!.GetValue<string>()));
        Assert.Contains("not a party role", problem["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A case with four parties — resident1 and a person without an account as applicants, resident2 and another as
    /// respondents — whose mediator closes it, so that the Notify to <paramref name="parties"/> runs with every party linked.
    /// </summary>
    private async Task<(YishiFactory Server, string CaseId)> CloseCaseAsync(string definitionId, string parties)
    {
        NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        _sms = await FakeSmsGateway.StartAsync("yishi-test", "s3cret", cancellationToken: Ct);
        var server = NewServer(new Dictionary<string, string?>
        {
            ["Yishi:Sms:Url"] = _sms.Url.ToString(),
            ["Yishi:Sms:KeyId"] = "yishi-test",
            ["Yishi:Sms:Secret"] = "s3cret",
            ["Yishi:Notifications:PollInterval"] = "00:00:00.050",
            // No quiet hours: whether the test runs at night must not matter.
            ["Yishi:Notifications:QuietFrom"] = "00:00",
            ["Yishi:Notifications:QuietUntil"] = "00:00",
        });
        await server.PublishAsync(Workflow(definitionId, parties), definitionId, Ct);
        var input = new JsonObject { ["case_title"] = "楼上漏水", ["closed_at"] = "2026-11-27T08:00:00Z", ["rate_by"] = "2026-12-05T15:59:00Z" };
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var started = await mediator.PostAsJsonAsync("/api/instances", new
        {
            definitionId,
            input,
            parties = new object[]
            {
                new { userId = await server.UserIdAsync("resident1", Ct), role = "applicant" },
                new { name = "张丽华", phone = ApplicantPhone, role = "applicant" },
                new { userId = await server.UserIdAsync("resident2", Ct), role = "respondent" },
                new { name = "李建国", phone = RespondentPhone, role = "respondent" },
            },
        }, Ct);
        var body = await started.ReadJsonAsync(HttpStatusCode.Created, Ct);
        var caseId = body["id"]!.GetValue<string>();
        using var closed = await mediator.PostAsJsonAsync($"/api/tasks/{body["tasks"]![0]!["id"]!.GetValue<string>()}/complete", new { outcome = "closed" }, Ct);
        await closed.ReadJsonAsync(HttpStatusCode.OK, Ct);
        return (server, caseId);
    }

    /// <summary>Start → the mediator closes the case → Notify the parties asking them to rate it → End.</summary>
    private static string Workflow(string definitionId, string parties) => $$"""
        {
          "definitionId": "{{definitionId}}",
          "name": { "zh-CN": "办结评价", "en": "Rate the case" },
          "variables": [
            { "name": "case_title", "type": "string" },
            { "name": "closed_at", "type": "string" },
            { "name": "rate_by", "type": "string" }
          ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "mediate", "type": "HumanTask", "properties": {
                "title": { "zh-CN": "调解", "en": "Mediate" }, "assignee": { "role": "mediator" }, "outcomes": [ "closed" ] } },
            { "id": "tell", "type": "Notify", "properties": { "template": "case/rate", "to": [ { "parties": "{{parties}}" } ] } },
            { "id": "done", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "mediate" },
            { "from": "mediate", "outcome": "closed", "to": "tell" },
            { "from": "tell", "to": "done" }
          ]
        }
        """;

    private static async Task<JsonArray> InboxAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/inbox", Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
    }

    /// <summary>The case's deliveries as (channel, user id or phone), in-app first then by address.</summary>
    private static async Task<List<(string Channel, string Address)>> DeliveriesAsync(YishiFactory server, string caseId)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var rows = await db.Deliveries.AsNoTracking().Where(d => d.InstanceId == caseId).Select(d => new { d.Channel, d.Address }).ToListAsync(Ct);
        return [.. rows.Select(r => (r.Channel, r.Address)).OrderBy(r => r.Channel, StringComparer.Ordinal).ThenBy(r => r.Address, StringComparer.Ordinal)];
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_sms is not null)
        {
            await _sms.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
