using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>A Notify's template is picked from the shipped ones, previewed on its sample data, and a broken edit says where it broke.</summary>
public sealed class TemplatePreviewTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADesigner_PicksATemplate_PreviewsIt_AndSeesWhereAnEditBreaksIt()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        await browser.SignInAsync("staff");
        await page.Locator("#new-id").FillAsync("rating-notice");
        await page.Locator("[data-test=create]").ClickAsync();
        await page.WaitForURLAsync("**/designer/workflows/rating-notice");
        var canvas = page.Locator(".yd-canvas");
        await page.Locator(".yd-palette-item[data-type=Notify]").DragToAsync(canvas, new() { TargetPosition = new() { X = 420, Y = 160 } });
        await page.Locator("[data-node=notify]").WaitForAsync();

        // The dropped activity is selected: its template is picked from the shipped templates.
        await page.Locator("#prop-notify-template").SelectOptionAsync("case/rate");
        await page.Locator("[data-test=template-preview-toggle]").ClickAsync();
        var preview = page.Locator("[data-test=template-preview]");
        await Assertions.Expect(preview).ToContainTextAsync("请对案件办理情况作出评价");
        await Assertions.Expect(preview).ToContainTextAsync("张**");
        await browser.ScreenshotAsync("designer-template-preview");

        // A broken edit: the preview names the part, line and column instead of rendering.
        var source = page.Locator("#prop-notify-template-source");
        var text = await source.InputValueAsync();
        await source.FillAsync(text.Replace("--- title ---\n", "--- title ---\n{{ if }}\n", StringComparison.Ordinal));
        await source.BlurAsync();
        await Assertions.Expect(preview.Locator(".yd-preview-error").First).ToContainTextAsync("title");
        await Assertions.Expect(page.Locator("[data-test=template-save]")).ToBeDisabledAsync();

        await source.FillAsync(text.Replace("请对案件办理情况作出评价", "请为本次服务打分", StringComparison.Ordinal));
        await source.BlurAsync();
        await Assertions.Expect(preview).ToContainTextAsync("请为本次服务打分");
    }
}
