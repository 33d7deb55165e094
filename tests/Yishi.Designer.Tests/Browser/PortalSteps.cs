using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Yishi.Testing;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// Steps of the resident portal's browser tests: setting up cases and ballots through the public API as staff would,
/// and signing a resident in on the portal's own page.
/// </summary>
internal static class PortalSteps
{
    public const string Password = "Demo123!";

    /// <summary>The demo resident's phone number (resident1 → 13800000001).</summary>
    public static string PhoneOf(int resident) => $"1380000{resident:D4}";

    /// <summary>The demo user's id.</summary>
    public static async Task<string> UserIdAsync(this DesignerBrowser browser, string userName, CancellationToken cancellationToken)
    {
        using var client = await browser.ApiAsync(userName, cancellationToken);
        return (await client.SendJsonAsync(HttpMethod.Get, "api/me", null, cancellationToken))["id"]!.GetValue<string>();
    }

    /// <summary>
    /// staff publishes a vote whose ballot opens a second after notice (a rule without a legal minimum notice) and admin
    /// starts it in <paramref name="orgUnitId"/>; answers the ballot's id once <paramref name="voter"/> sees it open.
    /// </summary>
    public static async Task<string> OpenBallotAsync(this DesignerBrowser browser, string definitionId, string title, string orgUnitId, string voter,
        CancellationToken cancellationToken)
    {
        var document = JsonNode.Parse($$"""
            {
              "definitionId": "{{definitionId}}",
              "name": { "zh-CN": "{{title}}", "en": "Portal vote" },
              "variables": [ { "name": "result", "type": "object" } ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "vote", "type": "Ballot", "properties": {
                    "title": { "zh-CN": "{{title}}", "en": "Put a lift in building 3" },
                    "rule": "simple-majority", "notice": "PT1S", "votingPeriod": { "days": 2 }, "variable": "result" } },
                { "id": "done", "type": "End" }
              ],
              "connections": [
                { "from": "start", "to": "vote" },
                { "from": "vote", "outcome": "passed", "to": "done" },
                { "from": "vote", "outcome": "rejected", "to": "done" },
                { "from": "vote", "outcome": "no_quorum", "to": "done" }
              ]
            }
            """)!;
        using (var staff = await browser.ApiAsync("staff", cancellationToken))
        {
            await staff.SendJsonAsync(HttpMethod.Post, "api/definitions", document, cancellationToken);
            await staff.SendJsonAsync(HttpMethod.Post, $"api/definitions/{definitionId}/publish", new JsonObject(), cancellationToken);
        }

        string instanceId;
        using (var admin = await browser.ApiAsync("admin", cancellationToken))
        {
            instanceId = (await admin.SendJsonAsync(HttpMethod.Post, "api/instances", new JsonObject { ["definitionId"] = definitionId, ["orgUnitId"] = orgUnitId },
                cancellationToken))["id"]!.GetValue<string>();
        }

        // The ballot is opened (its roll frozen) by the outbox after the case's step commits: wait until the voter sees it.
        using var resident = await browser.ApiAsync(voter, cancellationToken);
        var ballots = await Eventually.UntilAsync(async () => (await resident.SendJsonAsync(HttpMethod.Get, "api/ballots", null, cancellationToken)).AsArray(),
            list => list.Any(b => IsOpenBallotOf(b, instanceId)), TimeSpan.FromSeconds(30), cancellationToken);
        return ballots.First(b => IsOpenBallotOf(b, instanceId))!["id"]!.GetValue<string>();
    }

    private static bool IsOpenBallotOf(JsonNode? ballot, string instanceId) =>
        ballot!["instanceId"]!.GetValue<string>() == instanceId && ballot["status"]!.GetValue<string>() == "open";

    /// <summary>
    /// staff publishes a workflow that is a single consultation (<paramref name="kind"/> opinions or evaluation, open for
    /// a day) and admin starts it in <paramref name="orgUnitId"/>; answers the consultation's id once <paramref name="resident"/> sees it open.
    /// </summary>
    public static async Task<string> OpenConsultationAsync(this DesignerBrowser browser, string definitionId, string topic, string kind, string orgUnitId,
        string resident, CancellationToken cancellationToken)
    {
        var questions = kind == "evaluation" ? """, "questions": [ { "id": "better", "text": "落实后情况是否有改善？" }, { "id": "satisfied", "text": "您对本次协商的整体满意度" } ]""" : "";
        var document = JsonNode.Parse($$"""
            {
              "definitionId": "{{definitionId}}",
              "name": { "zh-CN": "{{topic}}", "en": "Portal consultation" },
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "consult", "type": "Consultation", "properties": {
                    "topic": "{{topic}}", "description": "小区东门外的空地拟改建为停车场，请各位居民发表意见。", "kind": "{{kind}}", "duration": { "days": 1 }{{questions}} } },
                { "id": "done", "type": "End" }
              ],
              "connections": [ { "from": "start", "to": "consult" }, { "from": "consult", "to": "done" } ]
            }
            """)!;
        using (var staff = await browser.ApiAsync("staff", cancellationToken))
        {
            await staff.SendJsonAsync(HttpMethod.Post, "api/definitions", document, cancellationToken);
            await staff.SendJsonAsync(HttpMethod.Post, $"api/definitions/{definitionId}/publish", new JsonObject(), cancellationToken);
        }

        using (var admin = await browser.ApiAsync("admin", cancellationToken))
        {
            await admin.SendJsonAsync(HttpMethod.Post, "api/instances", new JsonObject { ["definitionId"] = definitionId, ["orgUnitId"] = orgUnitId }, cancellationToken);
        }

        using var client = await browser.ApiAsync(resident, cancellationToken);
        var list = await Eventually.UntilAsync(async () => (await client.SendJsonAsync(HttpMethod.Get, "api/consultations", null, cancellationToken)).AsArray(),
            rows => rows.Any(c => c!["topic"]!.GetValue<string>() == topic && c["open"]!.GetValue<bool>()), TimeSpan.FromSeconds(30), cancellationToken);
        return list.First(c => c!["topic"]!.GetValue<string>() == topic)!["id"]!.GetValue<string>();
    }

    /// <summary>mediator registers a dispute between two residents (each linked as a party); answers the case id.</summary>
    public static async Task<string> DisputeAsync(this DesignerBrowser browser, string title, string applicant, string respondent, CancellationToken cancellationToken)
    {
        var applicantId = await browser.UserIdAsync(applicant, cancellationToken);
        var respondentId = await browser.UserIdAsync(respondent, cancellationToken);
        using var mediator = await browser.ApiAsync("mediator", cancellationToken);
        var body = new JsonObject
        {
            ["definitionId"] = "dispute-mediation",
            ["input"] = new JsonObject { ["case_title"] = title, ["dispute_type"] = "邻里纠纷", ["source"] = "walk-in", ["applied_at"] = "2026-11-26T06:20:00Z" },
            ["parties"] = new JsonArray(
                new JsonObject { ["userId"] = applicantId, ["role"] = "applicant" },
                new JsonObject { ["userId"] = respondentId, ["role"] = "respondent" }),
        };
        return (await mediator.SendJsonAsync(HttpMethod.Post, "api/instances", body, cancellationToken))["id"]!.GetValue<string>();
    }

    /// <summary><paramref name="userName"/> completes the case's open task at <paramref name="activityId"/> once it is there.</summary>
    public static async Task CompleteTaskAsync(this DesignerBrowser browser, string userName, string caseId, string activityId, string outcome, JsonObject? data,
        CancellationToken cancellationToken)
    {
        using var client = await browser.ApiAsync(userName, cancellationToken);
        var tasks = await Eventually.UntilAsync(async () => (await client.SendJsonAsync(HttpMethod.Get, $"api/tasks?instanceId={caseId}", null, cancellationToken)).AsArray(),
            list => list.Any(t => t!["activityId"]!.GetValue<string>() == activityId), TimeSpan.FromSeconds(30), cancellationToken);
        var task = tasks.First(t => t!["activityId"]!.GetValue<string>() == activityId)!;
        await client.SendJsonAsync(HttpMethod.Post, $"api/tasks/{task["id"]!.GetValue<string>()}/complete",
            new JsonObject { ["outcome"] = outcome, ["data"] = data ?? new JsonObject() }, cancellationToken);
    }

    /// <summary>Signs a resident in with phone and password on the portal's sign-in page, on the way to <paramref name="page"/>.</summary>
    public static async Task SignInResidentAsync(this IPage portal, int resident, string page)
    {
        await portal.GotoAsync(page);
        await portal.WaitForURLAsync("**/me/login**");
        await portal.Locator("#phone").FillAsync(PhoneOf(resident));
        await portal.Locator("#password").FillAsync(Password);
        await portal.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await portal.WaitForURLAsync(url => !url.Contains("/me/login", StringComparison.Ordinal));
    }

    /// <summary>How far the page reaches beyond the viewport's width (0 when nothing scrolls sideways).</summary>
    public static Task<int> OverflowAsync(this IPage page) =>
        page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");

    public static Task<int> ScrollWidthAsync(this IPage page) => page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");

}
