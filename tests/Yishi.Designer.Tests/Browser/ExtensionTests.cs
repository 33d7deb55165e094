using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// A mediator asks for more time on a task whose workflow wants a supervisor's approval; the supervisor sees the request
/// with its reason in the workbench and approves it, and the task's deadline moves.
/// </summary>
public sealed class ExtensionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Workflow = """
        {
          "definitionId": "visit-with-approval",
          "name": { "zh-CN": "上门回访", "en": "Follow-up visit" },
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "visit", "type": "HumanTask", "properties": {
                "title": { "zh-CN": "上门回访", "en": "Visit" }, "assignee": { "role": "mediator" },
                "due": { "workingDays": 2 }, "extensions": "approval", "outcomes": [ "done" ] } },
            { "id": "end", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "visit" }, { "from": "visit", "outcome": "done", "to": "end" } ]
        }
        """;

    [Fact]
    public async Task AMediator_AsksForMoreTime_AndTheSupervisorApprovesIt()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        string caseId;
        DateTimeOffset dueBefore;
        using (var staff = await browser.ApiAsync("staff", Ct))
        using (var mediator = await browser.ApiAsync("mediator", Ct))
        {
            await staff.SendJsonAsync(HttpMethod.Post, "api/definitions", JsonNode.Parse(Workflow), Ct);
            await staff.SendJsonAsync(HttpMethod.Post, "api/definitions/visit-with-approval/publish", null, Ct);
            caseId = (await mediator.SendJsonAsync(HttpMethod.Post, "api/instances", new JsonObject { ["definitionId"] = "visit-with-approval", ["input"] = new JsonObject() }, Ct))["id"]!
                .GetValue<string>();
            dueBefore = (await mediator.SendJsonAsync(HttpMethod.Get, $"api/tasks?instanceId={caseId}", null, Ct)).AsArray()[0]!["dueAt"]!.GetValue<DateTimeOffset>();
        }

        // The mediator asks, from the case file, with a reason.
        await browser.SignInAsync("mediator", page: $"workbench/cases/{caseId}/file");
        await Assertions.Expect(page.Locator("#extension-task")).ToContainTextAsync("上门回访");
        await page.Locator("#extension-days").FillAsync("2");
        await page.Locator("#extension-reason").FillAsync("当事人外出务工，下周返回");
        await page.Locator("[data-test=request-extension]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=extension-answer]")).ToContainTextAsync("等待主管审批");

        // The supervisor approves it.
        await page.Context.ClearCookiesAsync();
        await browser.SignInAsync("supervisor", page: "workbench/extensions");
        var request = page.Locator("[data-test=extensions] tbody tr");
        await Assertions.Expect(request).ToHaveCountAsync(1);
        await Assertions.Expect(request).ToContainTextAsync("当事人外出务工，下周返回");
        await Assertions.Expect(request).ToContainTextAsync("2 个工作日");
        await browser.ScreenshotAsync("extensions");
        await request.Locator("[data-test=approve]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=extension-message]")).ToContainTextAsync("已批准");
        await Assertions.Expect(page.Locator("[data-test=no-extensions]")).ToBeVisibleAsync();

        using var reader = await browser.ApiAsync("mediator", Ct);
        var dueAfter = (await reader.SendJsonAsync(HttpMethod.Get, $"api/tasks?instanceId={caseId}", null, Ct)).AsArray()[0]!["dueAt"]!.GetValue<DateTimeOffset>();
        Assert.True(dueAfter > dueBefore, $"The deadline did not move: {dueBefore:O} → {dueAfter:O}");
    }
}
