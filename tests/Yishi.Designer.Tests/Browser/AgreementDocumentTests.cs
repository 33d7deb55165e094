using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// The mediation agreement (调解协议书) the dispute-mediation workflow writes opens from the case file: its print view
/// shows the agreed terms, and its PDF opens or the page says to print from the browser.
/// </summary>
public sealed class AgreementDocumentTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheMediationAgreement_OpensFromTheCaseFile_AsAPrintView()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        var caseId = await browser.StartCaseAsync("mediator", "dispute-mediation", """
            {"case_title":"楼上漏水邻里纠纷调解","dispute_type":"邻里纠纷","source":"walk-in","applied_at":"2026-11-26T06:20:00Z",
             "parties":[{"role":"申请人","name":"张丽华","gender":"女","ethnicity":"汉族","age":46,"address":"幸福路18号3栋502室"},
                        {"role":"被申请人","name":"李建国","gender":"男","ethnicity":"汉族","age":58,"address":"幸福路18号3栋602室"}]}
            """, Ct);
        await browser.CompleteTaskAsync(caseId, "review", "accept", new JsonObject { ["mediator"] = "王秀英" }, "mediator", Ct);
        await browser.CompleteTaskAsync(caseId, "consent", "agreed", null, "mediator", Ct);
        await browser.CompleteTaskAsync(caseId, "assign", "assigned", new JsonObject { ["mediator"] = "王秀英" }, "supervisor", Ct);
        await browser.CompleteTaskAsync(caseId, "mediate", "agreement", null, "mediator", Ct);
        await browser.CompleteTaskAsync(caseId, "draft-agreement", "ready", new JsonObject
        {
            ["facts"] = "602室卫生间防水层老化，渗水至502室。",
            ["issues"] = "漏水责任、修复方式和时间、赔偿金额。",
            ["terms"] = "被申请人于2026年12月10日前重做防水。\n被申请人赔偿申请人人民币叁仟捌佰元整。",
            ["performance"] = "赔偿款于2026年12月5日前一次性转账支付。",
        }, "mediator", Ct);
        using (var mediator = await browser.ApiAsync("mediator", Ct))
        {
            // The document is written by the notification pipeline after the step commits.
            await CaseFileSteps.UntilAsync(async () => (await mediator.SendJsonAsync(HttpMethod.Get, $"api/instances/{caseId}/documents", null, Ct)).AsArray(),
                rows => rows.Count == 1, Ct);
        }

        await browser.SignInAsync("mediator", page: $"workbench/cases/{caseId}/file");
        var document = page.Locator("[data-test=documents] tbody tr");
        await Assertions.Expect(document).ToHaveCountAsync(1);
        await Assertions.Expect(document).ToContainTextAsync("人民调解协议书");
        await Assertions.Expect(document).ToHaveAttributeAsync("data-activity", "agreement");
        // Either a PDF link, or the advice to print the page from the browser: never neither.
        await Assertions.Expect(document.Locator("[data-test=pdf], [data-test=no-pdf]")).ToHaveCountAsync(1);

        var printView = await page.RunAndWaitForPopupAsync(() => document.Locator("[data-test=print-view]").ClickAsync());
        await printView.WaitForLoadStateAsync();
        await Assertions.Expect(printView.Locator("body")).ToContainTextAsync("被申请人于2026年12月10日前重做防水。");
        await Assertions.Expect(printView.Locator("body")).ToContainTextAsync("赔偿款于2026年12月5日前一次性转账支付。");
        await printView.CloseAsync();
    }
}
