using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>A supervisor opens the dashboard and finds the cases, the transfer and the ballot the API was given, as charts and as tables.</summary>
public sealed partial class DashboardTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheDashboard_ShowsTheSeededCases_AsChartsWithTables_InBothLanguages()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;

        // Three mediations in Haibin community, one handed to Heping community, and a residents' vote given notice.
        var cases = new List<string>();
        foreach (var title in new[] { "邻里噪音纠纷", "楼道堆物纠纷", "宠物扰民纠纷" })
        {
            cases.Add(await browser.StartCaseAsync("mediator", "dispute-mediation", $$"""{"case_title":"{{title}}"}""", Ct));
        }

        await browser.PostAsUserAsync("mediator", $"api/instances/{cases[2]}/transfer", """{"orgUnitId":"c2","reason":"当事人住和平社区"}""", Ct);
        await browser.StartCaseAsync("mediator", "resident-vote", """{"ballot_title":"小区停车位划线方案"}""", Ct);

        await browser.SignInAsync("supervisor", page: "dashboard");
        await page.WaitForURLAsync("**/dashboard");

        // The ballot is given notice by the server's dispatcher, moments after the case starts: reload until it is counted.
        for (var attempt = 0; attempt < 20 && await page.Locator("[data-test=table-turnout]").CountAsync() == 0; attempt++)
        {
            if (attempt > 0)
            {
                await page.WaitForTimeoutAsync(500);
                await page.ReloadAsync();
            }

            await page.Locator("[data-test=figures]").WaitForAsync();
        }

        await Assertions.Expect(page.Locator("[data-test=figure-open] dt")).ToHaveTextAsync("进行中");
        await Assertions.Expect(page.Locator("[data-test=figure-open] dd")).ToHaveTextAsync("4");
        await Assertions.Expect(page.Locator("[data-test=figure-transfers] dd")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("[data-test=figure-ballots] dd")).ToHaveTextAsync("1");

        // Each chart is an SVG picture with its figures again as a table.
        await Assertions.Expect(page.Locator("[data-test=chart-open] svg[role=img]")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("[data-test=chart-steps] svg[role=img]")).ToHaveCountAsync(1);
        await Assertions.Expect(Row(page, "open", "人民调解")).ToHaveTextAsync(Cells("人民调解", "3"));
        await Assertions.Expect(Row(page, "open", "居民表决")).ToHaveTextAsync(Cells("居民表决", "1"));
        await Assertions.Expect(Row(page, "steps", "审查调解申请")).ToHaveTextAsync(Cells("人民调解 · 审查调解申请：受理或不予受理", "3"));
        await Assertions.Expect(Row(page, "steps", "居民表决 · ")).ToHaveTextAsync(Cells("居民表决 · 居民表决", "1"));
        await Assertions.Expect(Row(page, "transfers", "和平社区")).ToHaveTextAsync(Cells("和平社区", "1"));
        await Assertions.Expect(Row(page, "turnout", "小区停车位划线方案")).ToContainTextAsync("公告中");
        await Assertions.Expect(Row(page, "turnout", "小区停车位划线方案")).ToContainTextAsync("0% (0/");
        await Assertions.Expect(page.Locator("[data-test=chart-open] svg desc")).ToContainTextAsync("人民调解 3");

        await browser.ScreenshotAsync("dashboard");

        await page.Locator("[data-test=language]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=figure-open] dt")).ToHaveTextAsync("Open");
        await Assertions.Expect(Row(page, "open", "Dispute mediation")).ToHaveTextAsync(Cells("Dispute mediation", "3"));
        await Assertions.Expect(Row(page, "turnout", "小区停车位划线方案")).ToContainTextAsync("notice given");
        await Assertions.Expect(page.Locator("[data-test=chart-open] figcaption")).ToHaveTextAsync("Open cases by workflow");
        await browser.ScreenshotAsync("dashboard-en");

        // Narrowed to dispute mediation: the three cases.
        await page.Locator("#dash-workflow").SelectOptionAsync("dispute-mediation");
        await Assertions.Expect(page.Locator("[data-test=figure-open] dd")).ToHaveTextAsync("3");
        await Assertions.Expect(page.Locator("[data-test=figure-ballots] dd")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("[data-test=chart-turnout-empty]")).ToBeVisibleAsync();

        // Narrowed to Heping community as well: only the case handed there.
        await page.Locator("#dash-unit").SelectOptionAsync("c2");
        await Assertions.Expect(page.Locator("[data-test=figure-open] dd")).ToHaveTextAsync("1");
        await page.Locator("#dash-unit").SelectOptionAsync("");
        await Assertions.Expect(page.Locator("[data-test=figure-open] dd")).ToHaveTextAsync("3");
    }

    private static ILocator Row(IPage page, string chart, string label) =>
        page.Locator($"[data-test=table-{chart}] tbody tr").Filter(new() { HasText = label });

    private static Regex Cells(string label, string value) => new($"^\\s*{Regex.Escape(label)}\\s*{Regex.Escape(value)}\\s*$");
}
