using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>Setting up workbench scenes over the API, and signing people in on pages of their own.</summary>
internal static class WorkbenchSteps
{
    private static readonly string[] MediatorRole = ["mediator"];

    /// <summary>A mediation with one task for mediators: a required note of at most 50 characters, and two outcomes.</summary>
    public const string Workflow = """
        {
          "definitionId": "wb-browser",
          "name": { "zh-CN": "邻里纠纷调解", "en": "Neighbour mediation" },
          "variables": [ { "name": "case_title", "type": "string", "required": true }, { "name": "note", "type": "string" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "mediate", "type": "HumanTask", "properties": {
                "title": { "zh-CN": "组织调解", "en": "Mediate" },
                "description": { "zh-CN": "约双方当事人面谈，记录调解经过。", "en": "Meet both parties and record the session." },
                "assignee": { "role": "mediator" },
                "due": { "workingDays": 3 },
                "outcomes": [ "agreed", "failed" ],
                "form": [ { "name": "note", "type": "text", "label": { "zh-CN": "调解记录", "en": "Notes" }, "required": true, "maxLength": 50, "variable": "note" } ] } },
            { "id": "done", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "mediate" },
            { "from": "mediate", "outcome": "agreed", "to": "done" },
            { "from": "mediate", "outcome": "failed", "to": "done" }
          ]
        }
        """;

    /// <summary>
    /// Publishes <see cref="Workflow"/>, adds a second mediator of community c1 (<c>mediator-c1b</c>, 赵调解), and starts a
    /// case there with a party; answers the case id and its task id.
    /// </summary>
    public static async Task<(string InstanceId, string TaskId)> MediationInC1Async(Uri server, CancellationToken cancellationToken)
    {
        using (var staff = await ApiSteps.SignedInAsync(server, "staff", cancellationToken))
        {
            using var created = await staff.PostAsync("api/definitions", new StringContent(Workflow, System.Text.Encoding.UTF8, "application/json"), cancellationToken);
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(cancellationToken));
            using var published = await staff.PostAsync("api/definitions/wb-browser/publish", null, cancellationToken);
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync(cancellationToken));
        }

        using (var admin = await ApiSteps.SignedInAsync(server, "admin", cancellationToken))
        {
            using var added = await admin.PostAsJsonAsync("api/admin/users",
                new { userName = "mediator-c1b", displayName = "赵调解", password = "Demo123!", orgUnitId = "c1", roles = MediatorRole }, cancellationToken);
            Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync(cancellationToken));
        }

        using var mediator = await ApiSteps.SignedInAsync(server, "mediator", cancellationToken);
        using var started = await mediator.PostAsJsonAsync("api/instances", new
        {
            definitionId = "wb-browser",
            input = new JsonObject { ["case_title"] = "楼上漏水损坏吊顶" },
            correlationKey = "TJ-2026-0042",
            parties = new[] { new { role = "applicant", name = "王建国", phone = "13912345678" }, new { role = "respondent", name = "陈丽", phone = "13887654321" } },
        }, cancellationToken);
        var body = await started.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        Assert.True(started.IsSuccessStatusCode, body?.ToJsonString());
        return (body!["id"]!.GetValue<string>(), body["tasks"]![0]!["id"]!.GetValue<string>());
    }

    /// <summary>The working days the server counts for a task in <paramref name="userName"/>'s inbox.</summary>
    public static async Task<int> WorkingDaysLeftAsync(Uri server, string userName, string taskId, CancellationToken cancellationToken)
    {
        using var client = await ApiSteps.SignedInAsync(server, userName, cancellationToken);
        var inbox = await client.GetFromJsonAsync<JsonObject>("api/workbench/inbox?view=team", cancellationToken);
        return inbox!["tasks"]!.AsArray().Single(t => t!["taskId"]!.GetValue<string>() == taskId)!["countdown"]!["workingDaysLeft"]!.GetValue<int>();
    }

    /// <summary>Saves a screenshot of <paramref name="page"/> as <c>artifacts/screenshots/&lt;name&gt;.png</c>.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(DesignerBrowser.ScreenshotFolder);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DesignerBrowser.ScreenshotFolder, name + ".png"), FullPage = true });
    }

    /// <summary>Signs <paramref name="userName"/> in on <paramref name="page"/> through the staff sign-in page, on the way to <paramref name="address"/>.</summary>
    public static async Task SignInAsync(IPage page, string userName, string address)
    {
        await page.GotoAsync(address);
        await page.WaitForURLAsync("**/login**");
        await page.Locator("#user-name").FillAsync(userName);
        await page.Locator("#password").FillAsync("Demo123!");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.WaitForURLAsync(url => !url.Contains("/login", StringComparison.Ordinal));
    }
}
