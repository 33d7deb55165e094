using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>The mediator's workbench in Chromium against the real server: two mediators of one community on the same task.</summary>
public sealed class WorkbenchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TwoMediatorsOnOneTask_TheFirstCompletesIt_TheSecondIsToldSomeoneElseDid_AndKeepsThePage()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var (instanceId, taskId) = await WorkbenchSteps.MediationInC1Async(browser.ServerAddress, Ct);
        var first = browser.Page;
        var second = await browser.NewPersonAsync();

        // The second mediator finds the case in the team's inbox: unclaimed, parties masked, three working days left.
        await WorkbenchSteps.SignInAsync(second, "mediator-c1b", "workbench");
        await second.Locator("[data-test=tab-team]").ClickAsync();
        var row = second.Locator($"[data-test=inbox-row][data-task='{taskId}']");
        await Assertions.Expect(row).ToBeVisibleAsync();
        await Assertions.Expect(row.Locator("[data-test=parties]")).ToHaveTextAsync("王**、陈*");
        // The server counts the days in the case's calendar from its own clock (the real one here): the page shows its count.
        var daysLeft = await WorkbenchSteps.WorkingDaysLeftAsync(browser.ServerAddress, "mediator-c1b", taskId, Ct);
        await Assertions.Expect(row.Locator("[data-test=countdown]")).ToHaveAttributeAsync("data-days", daysLeft.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(row.Locator("[data-test=countdown]")).ToHaveTextAsync(daysLeft == 0 ? "今天到期" : $"还剩 {daysLeft} 个工作日");
        await Assertions.Expect(row).Not.ToContainTextAsync("王建国");
        await WorkbenchSteps.ScreenshotAsync(second, "workbench-inbox");
        await row.Locator("[data-test=open-case]").ClickAsync();
        await second.WaitForURLAsync($"**/workbench/cases/{instanceId}");

        await WorkbenchSteps.SignInAsync(first, "mediator", $"workbench/cases/{instanceId}");
        var firstTask = first.Locator($"[data-test=case-task][data-task='{taskId}']");
        var secondTask = second.Locator($"[data-test=case-task][data-task='{taskId}']");
        await Assertions.Expect(firstTask.Locator("[data-test=task-form]")).ToBeVisibleAsync();
        await Assertions.Expect(secondTask.Locator("[data-test=task-form]")).ToBeVisibleAsync();
        await Assertions.Expect(first.Locator("[data-test=case-file-link]")).ToHaveAttributeAsync("href", $"workbench/cases/{instanceId}/file");

        // Nothing is sent while the required note is empty.
        await firstTask.Locator("[data-outcome=agreed]").ClickAsync();
        await Assertions.Expect(firstTask.Locator("[data-test=field-error][data-field=note]")).ToHaveTextAsync("请填写“调解记录”。");
        await Assertions.Expect(first.Locator("[data-test=timeline]")).Not.ToContainTextAsync("已办理");

        await firstTask.GetByLabel("调解记录").FillAsync("双方同意分摊维修费用");
        await secondTask.GetByLabel("调解记录").FillAsync("对方拒绝赔偿");
        await WorkbenchSteps.ScreenshotAsync(first, "workbench-case");
        await firstTask.Locator("[data-outcome=agreed]").ClickAsync();
        await Assertions.Expect(first.Locator("[data-test=case-message]")).ToContainTextAsync("已办理");
        await Assertions.Expect(first.Locator("[data-test=no-tasks]")).ToBeVisibleAsync();

        await secondTask.Locator("[data-outcome=failed]").ClickAsync();

        var message = second.Locator("[data-test=case-message]");
        await Assertions.Expect(message).ToContainTextAsync("该任务已由他人办理");
        await Assertions.Expect(message).ToContainTextAsync("王**");
        await Assertions.Expect(second.Locator("[data-test=no-tasks]")).ToBeVisibleAsync();
        await Assertions.Expect(second.Locator("[data-test=case-title]")).ToHaveTextAsync("楼上漏水损坏吊顶");
        await Assertions.Expect(second.Locator("[data-test=timeline]")).ToContainTextAsync("组织调解：已办理（agreed）");
        await WorkbenchSteps.ScreenshotAsync(second, "workbench-conflict");
    }

    [Fact]
    public async Task AMediatorRevealsAPartyWithAReason_TheFullNameShows_OnlyAfterTheReason()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var (instanceId, _) = await WorkbenchSteps.MediationInC1Async(browser.ServerAddress, Ct);
        var page = browser.Page;
        await WorkbenchSteps.SignInAsync(page, "mediator", $"workbench/cases/{instanceId}");
        var applicant = page.Locator("[data-test=party]").First;
        await Assertions.Expect(applicant.Locator("[data-test=party-name]")).ToHaveTextAsync("王**");

        await applicant.Locator("[data-test=reveal]").ClickAsync();
        await applicant.Locator("[data-test=reveal-confirm]").ClickAsync();
        await Assertions.Expect(applicant.Locator("[data-test=reveal-error]")).ToBeVisibleAsync();
        await Assertions.Expect(applicant.Locator("[data-test=party-name]")).ToHaveTextAsync("王**");
        await applicant.GetByLabel("查看原因（将记入审计）").FillAsync("电话通知调解时间");
        await applicant.Locator("[data-test=reveal-confirm]").ClickAsync();

        await Assertions.Expect(applicant.Locator("[data-test=party-name]")).ToHaveTextAsync("王建国");
        await Assertions.Expect(applicant.Locator("[data-test=party-phone]")).ToHaveTextAsync("13912345678");
        await Assertions.Expect(page.Locator("[data-test=party]").Nth(1).Locator("[data-test=party-name]")).ToHaveTextAsync("陈*");
    }
}
