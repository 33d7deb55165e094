using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// An email that cannot go out lands on the dead-letter list, masked, and an admin puts it back in the queue. The test's
/// server has no SMTP host and allows one attempt: the real dispatcher marks the email dead, as it would after a mail server's last refusal.
/// </summary>
public sealed class AdminDeadLetterTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Workflow = """
        { "definitionId": "risk-mail", "name": { "zh-CN": "风险预警邮件", "en": "Risk alert by email" },
          "variables": [ { "name": "applicants", "type": "array" }, { "name": "case_title", "type": "string" },
            { "name": "dispute_type", "type": "string" }, { "name": "risk_note", "type": "string" } ],
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "tell", "type": "Notify", "properties": { "template": "mediation/risk-alert", "to": [ { "variable": "applicants" } ], "channels": [ "email" ] } },
            { "id": "follow", "type": "HumanTask", "properties": { "title": { "zh-CN": "跟进", "en": "Follow up" }, "assignee": { "role": "mediator" }, "outcomes": [ "done" ] } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "tell" }, { "from": "tell", "to": "follow" }, { "from": "follow", "to": "end" } ] }
        """;

    [Fact]
    public async Task AnEmailThatCannotGoOut_IsADeadLetter_MaskedAndRetried()
    {
        // One attempt: the first failure makes the delivery dead instead of waiting for back-offs of minutes.
        await using var browser = await DesignerBrowser.StartAsync(Ct, environment: new Dictionary<string, string> { ["Yishi__Notifications__MaxAttempts"] = "1" });
        var page = browser.Page;
        using (var staff = await browser.ApiAsync("staff", Ct))
        {
            using var created = await staff.PostAsync(new Uri("api/definitions", UriKind.Relative), new StringContent(Workflow, System.Text.Encoding.UTF8, "application/json"), Ct);
            Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync(Ct));
            using var published = await staff.PostAsync(new Uri("api/definitions/risk-mail/publish", UriKind.Relative), null, Ct);
            Assert.True(published.IsSuccessStatusCode, await published.Content.ReadAsStringAsync(Ct));
        }

        await browser.StartCaseAsync("mediator", "risk-mail",
            """{"applicants":[{"name":"张丽华","email":"zhanglihua@example.org","channels":["email"]}],"case_title":"楼上漏水","dispute_type":"邻里纠纷","risk_note":"情绪激动"}""", Ct);
        await browser.SignInAsync("admin", page: "admin/dead-letters");

        // The dispatcher works in the background: reload until the dead letter is there.
        var row = page.Locator("[data-test=dead-letter]");
        for (var attempt = 0; attempt < 30 && await row.CountAsync() == 0; attempt++)
        {
            await page.Locator("[data-test=reload-dead]").ClickAsync();
            await page.WaitForTimeoutAsync(500);
        }

        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("z***@example.org");
        await Assertions.Expect(row).ToContainTextAsync("mediation/risk-alert");
        await Assertions.Expect(page.Locator("[data-test=admin-dead-letters]")).Not.ToContainTextAsync("zhanglihua");
        await browser.ScreenshotAsync("admin-dead-letters");

        await row.Locator("[data-test=retry]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-test=dead-message]")).ToContainTextAsync("已重新排队");
        await Assertions.Expect(row.Locator("[data-test=retried]")).ToContainTextAsync("待发送");
    }
}
