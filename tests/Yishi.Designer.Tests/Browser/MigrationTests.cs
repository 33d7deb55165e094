using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// A designer changes the shipped mediation workflow while a case runs on it, publishes with a change note, dry-runs
/// moving the case to the new version, moves it, and follows it in the case viewer.
/// </summary>
public sealed class MigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADesigner_PublishesAChange_DryRunsTheMigrationOfARunningCase_MovesIt_AndViewsIt()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        var caseId = await browser.StartCaseAsync("mediator", "dispute-mediation", """{"case_title":"邻里噪音纠纷"}""", Ct);
        await browser.SignInAsync("staff");

        // The running case in the viewer: waiting at the review, its way so far lit.
        await page.GotoAsync($"designer/cases/{caseId}");
        await Assertions.Expect(page.Locator("[data-test=case-status]")).ToContainTextAsync("v1");
        await page.Locator("[data-node=review].current").WaitForAsync();
        await Assertions.Expect(page.Locator(".yd-canvas")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-node=review]")).ToContainTextAsync("审查");
        await page.Locator("[data-edge='start/done/register'].active").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await Assertions.Expect(page.Locator("[data-test=timeline]")).ToContainTextAsync("开始等待");

        // Change the step the case waits at, and publish with a change note.
        await page.GotoAsync("designer/workflows/dispute-mediation");
        await page.Locator("[data-node=review] rect").ClickAsync();
        await page.Locator("#prop-review-title-zh").FillAsync("审查调解申请（当日）");
        await page.Locator("#prop-review-title-zh").BlurAsync();
        await Assertions.Expect(page.Locator("[data-test=save-state]")).ToContainTextAsync("草稿已保存（v2）", new() { Timeout = 15_000 });
        await page.Locator("[data-test=publish]").ClickAsync();
        await page.Locator("#publish-note").FillAsync("审查当日完成");
        await page.Locator("[data-test=publish-confirm]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=message]")).ToContainTextAsync("已发布 v2");

        // The note is in the history.
        await page.Locator("[data-test=versions]").ClickAsync();
        await Assertions.Expect(page.Locator("tr[data-version='2']")).ToContainTextAsync("审查当日完成");

        // Dry run: the case would stand at the review (and the risk watch) on v2; nothing changes yet.
        await page.GotoAsync("designer/workflows/dispute-mediation/cases");
        await Assertions.Expect(page.Locator("#migrate-to")).ToHaveValueAsync("2");
        await Assertions.Expect(page.Locator($"#move-{caseId}")).ToBeCheckedAsync();
        await page.Locator("[data-test=dry-run]").ClickAsync();
        var planned = page.Locator($"[data-test=migration-plan] [data-case='{caseId}']");
        await Assertions.Expect(planned).ToHaveAttributeAsync("data-can", "true");
        await Assertions.Expect(planned).ToContainTextAsync("审查调解申请（当日）");
        await Assertions.Expect(page.Locator($"tr[data-case='{caseId}']")).ToHaveAttributeAsync("data-version", "1");
        await browser.ScreenshotAsync("designer-migration-dry-run");

        // Move it: the case is on v2, still waiting at the same review, and its journal says so.
        await page.Locator("[data-test=migrate]").ClickAsync();
        await Assertions.Expect(planned).ToHaveAttributeAsync("data-outcome", "migrated");
        await Assertions.Expect(page.Locator($"tr[data-case='{caseId}']")).ToHaveAttributeAsync("data-version", "2");
        await page.GotoAsync($"designer/cases/{caseId}");
        await Assertions.Expect(page.Locator("[data-test=case-status]")).ToContainTextAsync("v2");
        await page.Locator("[data-node=review].current").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-test=timeline]")).ToContainTextAsync("迁移到新版本");
        await browser.ScreenshotAsync("designer-case");
        await Assertions.Expect(page.Locator(".yd-canvas")).ToHaveCountAsync(1);
    }
}
