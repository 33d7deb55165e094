using System.Globalization;
using Microsoft.Playwright;
using Yishi.Engine.Time;

namespace Yishi.Designer.Tests.Browser;

/// <summary>An admin adds a holiday in the calendar page and an open case's working-day deadline moves with it.</summary>
public sealed class AdminCalendarTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AnAdminAddsADayOff_InsideAnOpenTasksWorkingDays_TheDeadlineMovesOneWorkingDay()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        // The shipped mediation workflow's review is due in 3 working days, counted on the server's clock (its risk watch, open beside it, has no deadline).
        var caseId = await browser.StartCaseAsync("mediator", "dispute-mediation", """{"case_title":"邻里噪音纠纷"}""", Ct);
        using var mediator = await browser.ApiAsync("mediator", Ct);
        var task = await mediator.TaskAtAsync(caseId, "review", Ct);
        var (created, due) = (task["createdAt"]!.GetValue<DateTimeOffset>(), task["dueAt"]!.GetValue<DateTimeOffset>());
        // The server counts with the shipped Chinese calendar (no admin changed a day yet): the last working day before the deadline's day.
        var calendar = WorkingCalendar.China;
        var dayOff = calendar.DayOf(due).AddDays(-1);
        while (!calendar.IsWorkingDay(dayOff))
        {
            dayOff = dayOff.AddDays(-1);
        }

        Assert.True(dayOff > calendar.DayOf(created), $"no working day between {created:O} and {due:O}");

        await browser.SignInAsync("admin", page: "admin/calendar");
        await page.Locator("[data-test=admin-calendar]").WaitForAsync();
        await page.Locator("#day-date").FillAsync(dayOff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("#day-kind").SelectOptionAsync("off");
        await page.Locator("#day-name").FillAsync("临时停电放假");
        await page.Locator("[data-test=change-day]").ClickAsync();

        await Assertions.Expect(page.Locator("[data-test=calendar-message]")).ToContainTextAsync("1 个在办任务的工作日期限已随之调整");
        await Assertions.Expect(page.Locator("[data-test=changed-day]")).ToContainTextAsync("临时停电放假");
        await browser.ScreenshotAsync("admin-calendar");

        var moved = (await mediator.TaskAtAsync(caseId, "review", Ct))["dueAt"]!.GetValue<DateTimeOffset>();
        var withDayOff = calendar.With(calendar.Holidays.With([(dayOff, false)]));
        Assert.Equal(withDayOff.AddWorkingDays(due, 1), moved);
        Assert.Equal(1, withDayOff.CountWorkingDays(calendar.DayOf(due), calendar.DayOf(moved)));
        Assert.Equal(due.TimeOfDay, moved.TimeOfDay);

        // Taking the day back moves the deadline back.
        await page.Locator("[data-test=undo-day]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=calendar-message]")).ToContainTextAsync("已撤销");
        await Assertions.Expect(page.Locator("[data-test=calendar-message]")).ToContainTextAsync("1 个在办任务");
        Assert.Equal(due, (await mediator.TaskAtAsync(caseId, "review", Ct))["dueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task TheUsersPage_ListsMasked_Filters_AndAddsAUserWithFieldErrors()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        await browser.SignInAsync("admin", page: "admin/users");

        await Assertions.Expect(page.Locator("[data-test=user-row][data-user=resident1]")).ToHaveCountAsync(1);
        // Names and phones are masked in the list.
        await Assertions.Expect(page.Locator("[data-test=user-row][data-user=resident1]")).ToContainTextAsync("138****");
        await page.Locator("#users-role").SelectOptionAsync("mediator");
        await Assertions.Expect(page.Locator("[data-test=user-row]")).ToHaveCountAsync(2);

        // A new user: missing fields are named beside them, and the server's refusal keeps what was typed.
        await page.Locator("[data-test=create-user]").ClickAsync();
        await Assertions.Expect(page.Locator("#user-name-error")).ToBeVisibleAsync();
        await page.Locator("#user-name").FillAsync("mediator3");
        await page.Locator("#user-display").FillAsync("王调解");
        await page.Locator("#user-password").FillAsync("short-no-digits");
        await page.Locator("#user-unit").SelectOptionAsync("c1");
        await page.Locator("[data-test=new-role-mediator]").CheckAsync();
        await page.Locator("[data-test=create-user]").ClickAsync();
        await Assertions.Expect(page.Locator("#user-password-error")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#user-name")).ToHaveValueAsync("mediator3");
        await page.Locator("#user-password").FillAsync("Mediator3!x");
        await page.Locator("[data-test=create-user]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=users-message]")).ToContainTextAsync("mediator3");
        await Assertions.Expect(page.Locator("[data-test=user-row]")).ToHaveCountAsync(3);
        await Assertions.Expect(page.Locator("[data-test=user-row][data-user=mediator3]")).ToContainTextAsync("王**");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await browser.ScreenshotAsync("admin-users");

        // The resident registry: a file with a bad phone imports nothing and says where; a good one imports.
        await page.Locator("#resident-csv").SetInputFilesAsync(new FilePayload
        {
            Name = "bad.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes("name,phone,org_unit\n赵新,1390000,c1\n"),
        });
        await Assertions.Expect(page.Locator("[data-test=import-errors]")).ToContainTextAsync("第 2 行");
        await page.Locator("#resident-csv").SetInputFilesAsync(new FilePayload
        {
            Name = "good.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes("name,phone,org_unit\n赵新,13900009999,c1\n"),
        });
        await Assertions.Expect(page.Locator("[data-test=import-message]")).ToContainTextAsync("新增 1 人");
        await Assertions.Expect(page.Locator("[data-test=import-errors]")).ToHaveCountAsync(0);

        await page.Locator("[data-test=admin-tab-dead-letters]").ClickAsync();
        await page.Locator("[data-test=admin-dead-letters]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-test=admin-dead-letters]")).ToContainTextAsync("投递失败");
    }
}
