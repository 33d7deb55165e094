using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// Paper ballots in the workbench: an officer marks two residents as voting on paper and enters their two papers as a
/// batch; the same officer cannot confirm it (the page says why); a second officer, made by the administrator, confirms it.
/// </summary>
public sealed class PaperBallotTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Notice of two seconds: the ballot opens by itself while the test signs in, without a clock to move.
    private const string Workflow = """
        {
          "definitionId": "paper-vote",
          "name": { "zh-CN": "东坪村议事表决", "en": "Dongping vote" },
          "variables": [ { "name": "result", "type": "object" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "vote", "type": "Ballot", "properties": {
                "title": { "zh-CN": "修建村口停车场", "en": "A car park at the village gate" },
                "rule": "residents-assembly", "notice": "PT2S", "votingPeriod": { "days": 2 }, "variable": "result" } },
            { "id": "done", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "vote" },
            { "from": "vote", "outcome": "passed", "to": "done" },
            { "from": "vote", "outcome": "rejected", "to": "done" },
            { "from": "vote", "outcome": "no_quorum", "to": "done" }
          ]
        }
        """;

    [Fact]
    public async Task AnOfficer_EntersAPaperBatch_ThatOnlyASecondOfficerConfirms()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        string ballotId;
        using (var staff = await browser.ApiAsync("staff", Ct))
        using (var admin = await browser.ApiAsync("admin", Ct))
        using (var officer = await browser.ApiAsync("officer", Ct))
        {
            await staff.SendJsonAsync(HttpMethod.Post, "api/definitions", JsonNode.Parse(Workflow), Ct);
            await staff.SendJsonAsync(HttpMethod.Post, "api/definitions/paper-vote/publish", null, Ct);
            var instanceId = (await admin.SendJsonAsync(HttpMethod.Post, "api/instances",
                new JsonObject { ["definitionId"] = "paper-vote", ["orgUnitId"] = "v1", ["input"] = new JsonObject() }, Ct))["id"]!.GetValue<string>();
            await admin.SendJsonAsync(HttpMethod.Post, "api/admin/users", new JsonObject
            {
                ["userName"] = "officer2", ["displayName"] = "第二监票员", ["password"] = "Demo123!", ["orgUnitId"] = "v1", ["roles"] = new JsonArray("officer"),
            }, Ct);
            var ballot = await CaseFileSteps.UntilAsync(
                async () => (await officer.SendJsonAsync(HttpMethod.Get, "api/ballots", null, Ct)).AsArray().FirstOrDefault(b => b!["instanceId"]!.GetValue<string>() == instanceId),
                b => b?["status"]?.GetValue<string>() == "open", Ct);
            ballotId = ballot!["id"]!.GetValue<string>();
        }

        // The first officer: the ballot from the list, two residents marked as voting on paper.
        await browser.SignInAsync("officer", page: "workbench/ballots");
        await page.Locator($"[data-ballot='{ballotId}'] a").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=ballot-status]")).ToContainTextAsync("投票中");
        await page.Locator("[data-test=electorate] [data-test=mark-paper]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=turnout]")).ToHaveAttributeAsync("data-paper", "1");
        await page.Locator("[data-test=electorate] [data-test=mark-paper]").First.ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=turnout]")).ToHaveAttributeAsync("data-paper", "2");
        await Assertions.Expect(page.Locator("[data-test=electorate] tr[data-voted='paper']")).ToHaveCountAsync(2);

        // Their two papers, both for, as one batch; it waits for a second officer.
        await page.Locator("#paper-q1").SelectOptionAsync("yes");
        await page.Locator("#paper-copies").FillAsync("2");
        await page.Locator("[data-test=add-papers]").ClickAsync();
        await page.Locator("[data-test=submit-batch]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=paper-message]")).ToContainTextAsync("已提交 2 张");
        var batch = page.Locator("[data-test=batches] tbody tr");
        await Assertions.Expect(batch).ToHaveAttributeAsync("data-status", "pending");
        await Assertions.Expect(batch).ToContainTextAsync("赞成 × 2");

        // The officer who entered it cannot confirm it, and is told so.
        await batch.Locator("[data-test=confirm-batch]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=paper-message]")).ToContainTextAsync("A second officer must confirm");
        await Assertions.Expect(batch).ToHaveAttributeAsync("data-status", "pending");
        await browser.ScreenshotAsync("paper-ballots");

        // The second officer confirms it: it counts.
        await page.Context.ClearCookiesAsync();
        await browser.SignInAsync("officer2", page: $"workbench/ballots/{ballotId}");
        await batch.Locator("[data-test=confirm-batch]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=paper-message]")).ToContainTextAsync("已确认 2 张");
        await Assertions.Expect(batch).ToHaveAttributeAsync("data-status", "confirmed");
    }
}
