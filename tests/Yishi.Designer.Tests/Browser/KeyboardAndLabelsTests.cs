using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// The designer works without a mouse and every control says what it is: a palette entry is added with Enter, the canvas
/// walks activities with Tab and moves them with the arrows, and no input, select or button is left without a name.
/// </summary>
public sealed class KeyboardAndLabelsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Controls a screen reader could not name: no label, aria-label, aria-labelledby, title or text.</summary>
    private const string UnnamedControls = """
        () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button, [role=button]')]
          .filter(e => e.offsetParent !== null || e.closest('svg'))
          .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !e.getAttribute('aria-labelledby')
                    && !e.getAttribute('title') && !(e.textContent || '').trim())
          .map(e => e.outerHTML.slice(0, 400))
        """;

    private static async Task AssertAllNamedAsync(IPage page)
    {
        var unnamed = await page.EvaluateAsync<string[]>(UnnamedControls);
        Assert.True(unnamed.Length == 0, "Controls without a name: " + string.Join(Environment.NewLine, unnamed));
    }

    [Fact]
    public async Task TheEditor_IsUsableByKeyboard_AndEveryControlIsLabelled()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        await browser.SignInAsync("staff");
        await AssertAllNamedAsync(page);

        await page.Locator("#new-id").FillAsync("keyboard-flow");
        await page.Locator("#new-id").PressAsync("Enter");
        await page.Locator("[data-test=create]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync("**/designer/workflows/keyboard-flow");
        await page.Locator("[data-node=start]").WaitForAsync();

        // A palette entry added with the keyboard lands on the canvas, selected, with its properties open.
        await page.Locator(".yd-palette-item[data-type=HumanTask]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("[data-node=human-task]").WaitForAsync();
        await page.Locator("#prop-human-task-title-zh").WaitForAsync();
        await AssertAllNamedAsync(page);

        // On the canvas, Tab walks the activities and the arrows move the selected one.
        await page.Locator(".yd-canvas").FocusAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Locator("[data-node=start].selected").WaitForAsync();
        var before = await page.Locator("[data-node=start]").GetAttributeAsync("transform");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator("[data-node=start]")).Not.ToHaveAttributeAsync("transform", before!);
        // Undo by keyboard puts it back.
        await page.Keyboard.PressAsync("Control+z");
        await page.Keyboard.PressAsync("Control+z");
        await Assertions.Expect(page.Locator("[data-node=start]")).ToHaveAttributeAsync("transform", before!);
        await browser.ScreenshotAsync("designer-keyboard");
    }

    [Fact]
    public async Task TheRichEditors_TheRehearsalAndTheCasePages_AreLabelled_AndTheRehearsalRunsByKeyboard()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        await browser.SignInAsync("staff");

        // A real task of the shipped workflow: its form builder, assignee picker and the rest of the panel.
        await page.GotoAsync("designer/workflows/dispute-mediation");
        await page.Locator("[data-node=review] rect").ClickAsync();
        await page.Locator("#prop-review-title-zh").WaitForAsync();
        await AssertAllNamedAsync(page);
        await page.Locator("[data-node=watch] rect").ClickAsync();
        await AssertAllNamedAsync(page);

        // The rehearsal, started and acted in with the keyboard alone.
        await page.Locator("[data-test=rehearse]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("[data-test=rehearsal-start]").WaitForAsync();
        await AssertAllNamedAsync(page);
        await page.Locator("[data-test=rehearsal-start]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-test=rehearsal-status]")).ToHaveAttributeAsync("data-status", "Waiting");
        await AssertAllNamedAsync(page);
        await page.Locator("[data-wait=review] [data-outcome=accept]").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await page.Locator("[data-edge='review/accept/mark-accepted'].active").WaitForAsync(new() { State = WaitForSelectorState.Attached });

        await page.GotoAsync("designer/workflows/dispute-mediation/cases");
        await page.Locator("h1").WaitForAsync();
        await AssertAllNamedAsync(page);
    }
}
