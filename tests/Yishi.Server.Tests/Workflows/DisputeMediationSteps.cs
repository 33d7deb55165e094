using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.Workflows;

/// <summary>The steps of a 人民调解 case over the public API, as the workbench and the portal take them.</summary>
internal sealed class DisputeMediationCase(WebApplicationFactory<Program> server, ManualClock clock, string instanceId, CancellationToken cancellationToken)
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    public string Id => instanceId;

    public ManualClock Clock => clock;

    public WebApplicationFactory<Program> Server => server;

    /// <summary>mediator registers a case with resident1 as applicant and resident2 as respondent.</summary>
    public static async Task<DisputeMediationCase> RegisterAsync(WebApplicationFactory<Program> server, ManualClock clock, CancellationToken cancellationToken)
    {
        using var mediator = await server.SignedInClientAsync("mediator", cancellationToken);
        var applicant = await UserIdAsync(server, "resident1", cancellationToken);
        var respondent = await UserIdAsync(server, "resident2", cancellationToken);
        var input = new JsonObject
        {
            ["case_title"] = "楼上漏水邻里纠纷调解",
            ["dispute_type"] = "邻里纠纷",
            ["source"] = "walk-in",
            ["applied_at"] = "2026-11-26T06:20:00Z",
            ["parties"] = new JsonArray(
                new JsonObject { ["role"] = "申请人", ["name"] = "张丽华", ["gender"] = "女", ["ethnicity"] = "汉族", ["age"] = 46, ["address"] = "幸福路18号3栋502室" },
                new JsonObject { ["role"] = "被申请人", ["name"] = "李建国", ["gender"] = "男", ["ethnicity"] = "汉族", ["age"] = 58, ["address"] = "幸福路18号3栋602室" }),
            ["risk_contacts"] = new JsonArray(new JsonObject { ["name"] = "派出所联络民警", ["phone"] = "13800001111", ["locale"] = "zh-CN" }),
        };
        using var started = await mediator.PostAsJsonAsync("/api/instances", new
        {
            definitionId = "dispute-mediation",
            input,
            parties = new object[] { new { userId = applicant, role = "applicant" }, new { userId = respondent, role = "respondent" } },
        }, cancellationToken);
        var body = await started.ReadJsonAsync(HttpStatusCode.Created, cancellationToken);
        return new DisputeMediationCase(server, clock, body["id"]!.GetValue<string>(), cancellationToken);
    }

    public static async Task<string> UserIdAsync(WebApplicationFactory<Program> server, string userName, CancellationToken cancellationToken)
    {
        using var client = await server.SignedInClientAsync(userName, cancellationToken);
        using var me = await client.GetAsync("/api/me", cancellationToken);
        return (await me.ReadJsonAsync(HttpStatusCode.OK, cancellationToken))["id"]!.GetValue<string>();
    }

    /// <summary>The open tasks of the case that <paramref name="userName"/> sees.</summary>
    public async Task<JsonArray> TasksAsync(string userName = "mediator")
    {
        using var client = await server.SignedInClientAsync(userName, cancellationToken);
        using var response = await client.GetAsync($"/api/tasks?instanceId={instanceId}", cancellationToken);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, cancellationToken)).AsArray();
    }

    /// <summary>Waits for the open task of <paramref name="activityId"/>.</summary>
    public async Task<JsonNode> TaskAsync(string activityId, string userName = "mediator")
    {
        var tasks = await Eventually.UntilAsync(() => TasksAsync(userName), t => t.Any(x => x!["activityId"]!.GetValue<string>() == activityId), Patience, cancellationToken);
        return tasks.Single(x => x!["activityId"]!.GetValue<string>() == activityId)!;
    }

    /// <summary>Completes the open task of <paramref name="activityId"/> with an outcome and form data.</summary>
    public async Task<JsonNode> CompleteAsync(string activityId, string outcome, JsonObject? data = null, string userName = "mediator")
    {
        var task = await TaskAsync(activityId, userName);
        using var client = await server.SignedInClientAsync(userName, cancellationToken);
        using var done = await client.PostAsJsonAsync($"/api/tasks/{task["id"]!.GetValue<string>()}/complete", new { outcome, data = data ?? new JsonObject() }, cancellationToken);
        await done.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
        return task;
    }

    public async Task<JsonNode> InstanceAsync()
    {
        using var client = await server.SignedInClientAsync("mediator", cancellationToken);
        using var response = await client.GetAsync($"/api/instances/{instanceId}", cancellationToken);
        return await response.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>Waits until the case is completed; answers its result.</summary>
    public async Task<string> CompletedResultAsync()
    {
        var instance = await Eventually.UntilAsync(InstanceAsync, i => i["status"]!.GetValue<string>() == "Completed", Patience, cancellationToken);
        return instance["result"]!.GetValue<string>();
    }

    /// <summary>The titles in a user's in-app inbox.</summary>
    public async Task<List<string>> InboxTitlesAsync(string userName)
    {
        using var client = await server.SignedInClientAsync(userName, cancellationToken);
        using var response = await client.GetAsync("/api/inbox", cancellationToken);
        return [.. (await response.ReadJsonAsync(HttpStatusCode.OK, cancellationToken)).AsArray().Select(n => n!["title"]!.GetValue<string>())];
    }

    /// <summary>Waits until a notice whose title starts with <paramref name="titleStart"/> is in the user's inbox; answers the inbox.</summary>
    public Task<List<string>> NoticeAsync(string userName, string titleStart, int count = 1) =>
        Eventually.UntilAsync(() => InboxTitlesAsync(userName), titles => titles.Count(t => t.StartsWith(titleStart, StringComparison.Ordinal)) >= count, Patience, cancellationToken);

    /// <summary>Moves the server's clock on; its sweep fires what fell due.</summary>
    public void Advance(TimeSpan by) => clock.Advance(by);

    /// <summary>The deadline of a task, in days after it was created.</summary>
    public static double DueInDays(JsonNode task) =>
        (task["dueAt"]!.GetValue<DateTimeOffset>() - task["createdAt"]!.GetValue<DateTimeOffset>()).TotalDays;
}
