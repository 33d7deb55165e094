using System.Security.Cryptography;
using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// A mediator works a case's file in the workbench: uploads a file and downloads the same bytes back, sees a file the
/// server refuses explained, adds the minutes of a session, and schedules the next session, which then shows among the
/// unit's upcoming sessions.
/// </summary>
public sealed class CaseFileTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AMediator_UploadsAndDownloadsAnAttachment_AddsARecord_AndSchedulesASession()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        var caseId = await browser.StartCaseAsync("mediator", "dispute-mediation", """{"case_title":"楼上漏水邻里纠纷"}""", Ct);
        await browser.SignInAsync("mediator", page: $"workbench/cases/{caseId}/file");
        await Assertions.Expect(page.Locator("[data-test=case-id]")).ToHaveTextAsync(caseId);
        await Assertions.Expect(page.Locator("[data-test=no-attachments]")).ToBeVisibleAsync();

        // Upload: a PDF with random content after its header, so that equal bytes back mean the very file.
        var content = new byte[40_000];
        RandomNumberGenerator.Fill(content);
        "%PDF-1.7\n"u8.CopyTo(content);
        await page.Locator("#attachment-file").SetInputFilesAsync(new FilePayload { Name = "维修票据.pdf", MimeType = "application/pdf", Buffer = content });
        await page.Locator("#attachment-description").FillAsync("楼下住户提供的维修票据");
        await page.Locator("[data-test=upload]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=upload-done]")).ToContainTextAsync("维修票据.pdf");
        var row = page.Locator("[data-test=attachments] tbody tr");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row).ToContainTextAsync("楼下住户提供的维修票据");

        // Download: the same bytes under the same name.
        var download = await page.RunAndWaitForDownloadAsync(() => row.Locator("[data-test=download]").ClickAsync());
        Assert.Equal("维修票据.pdf", download.SuggestedFilename);
        Assert.Equal(content, await File.ReadAllBytesAsync(await download.PathAsync(), Ct));

        // A program renamed .pdf is refused, and the page says why in plain words; the list is unchanged.
        await page.Locator("#attachment-file").SetInputFilesAsync(new FilePayload { Name = "发票.pdf", MimeType = "application/pdf", Buffer = [0x4D, 0x5A, 0x90, 0x00, 0x03, 0x00] });
        await page.Locator("[data-test=upload]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=upload-refusal]")).ToContainTextAsync("不接受这种文件");
        await Assertions.Expect(row).ToHaveCountAsync(1);

        // The minutes of the first session.
        await page.Locator("#record-title").FillAsync("第一次调解");
        await page.Locator("#record-text").FillAsync("双方陈述了漏水经过，约定下周再次调解。");
        await page.Locator("#record-place").FillAsync("海滨社区调解室");
        await page.Locator("[data-test=add-record]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=records]")).ToContainTextAsync("第一次调解");
        await Assertions.Expect(page.Locator("[data-test=records]")).ToContainTextAsync("约定下周再次调解");

        // A session without a place is refused by the server, the time typed is kept; with a place it is scheduled.
        var startsAt = CaseFileSteps.AWeekAheadInBeijing();
        await page.Locator("#session-starts-at").FillAsync(startsAt);
        await page.Locator("[data-test=save-session]").ClickAsync();
        await Assertions.Expect(page.Locator("#session-place-error")).ToContainTextAsync("place");
        await Assertions.Expect(page.Locator("#session-starts-at")).ToHaveValueAsync(startsAt);
        await page.Locator("#session-place").FillAsync("海滨社区调解室");
        await page.Locator("#session-attendees").FillAsync("调解员、双方当事人");
        await page.Locator("[data-test=save-session]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=session-done]")).ToContainTextAsync("已通知当事人");
        var session = page.Locator("[data-test=sessions] tbody tr");
        await Assertions.Expect(session).ToHaveCountAsync(1);
        await Assertions.Expect(session).ToContainTextAsync(startsAt.Replace('T', ' '));
        await Assertions.Expect(session).ToContainTextAsync("海滨社区调解室");
        await page.Locator("[data-test=case-sessions]").ScrollIntoViewIfNeededAsync();
        await browser.ScreenshotAsync("casefile-sessions");
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await browser.ScreenshotAsync("casefile");

        // The unit's upcoming sessions list it, with a way back to the file.
        await page.GotoAsync("workbench/sessions");
        var upcoming = page.Locator("[data-test=upcoming-sessions] tbody tr");
        await Assertions.Expect(upcoming).ToHaveCountAsync(1);
        await Assertions.Expect(upcoming).ToContainTextAsync("海滨社区调解室");
        await Assertions.Expect(upcoming.GetByRole(AriaRole.Link)).ToHaveTextAsync(caseId);
        await browser.ScreenshotAsync("workbench-upcoming-sessions");
    }
}
