using Microsoft.Playwright;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// A designer builds a small mediation workflow from an empty canvas through the UI only: mouse drags from the palette,
/// connections drawn port to node, properties typed, a validation error met and fixed, then published.
/// </summary>
public sealed class BuildAWorkflowTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ADesigner_BuildsConnectsFixesAndPublishes_AWorkflow_ThroughTheUiOnly()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct);
        var page = browser.Page;
        await browser.SignInAsync("staff");
        await page.GetByRole(AriaRole.Heading, new() { Name = "流程" }).WaitForAsync();
        await page.Locator("[data-test=create]").WaitForAsync();

        await page.Locator("#new-id").FillAsync("neighbour-mediation");
        await page.Locator("#new-name").FillAsync("邻里纠纷调解");
        await page.Locator("[data-test=create]").ClickAsync();
        await page.WaitForURLAsync("**/designer/workflows/neighbour-mediation");
        var canvas = page.Locator(".yd-canvas");
        await canvas.WaitForAsync();
        await page.Locator("[data-node=start]").WaitForAsync();

        // Drag a task and an end onto the canvas from the palette.
        await page.Locator(".yd-palette-item[data-type=HumanTask]").DragToAsync(canvas, new() { TargetPosition = new() { X = 420, Y = 160 } });
        await page.Locator("[data-node=human-task]").WaitForAsync();
        await page.Locator(".yd-palette-item[data-type=End]").DragToAsync(canvas, new() { TargetPosition = new() { X = 760, Y = 160 } });
        await page.Locator("[data-node=end]").WaitForAsync();

        // Connect start → task by dragging from start's port onto the task.
        await ConnectAsync(page, "start", "done", "human-task");
        await page.Locator("[data-edge='start/done/human-task']").WaitForAsync();

        // The new task lacks its title, assignee and outcomes: errors are listed and marked, and publishing is blocked.
        await page.Locator("[data-node=human-task].error").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-test=publish]")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("[data-test=problems]")).ToContainTextAsync("human-task");
        await browser.ScreenshotAsync("designer-validation-error");

        // Select the task and fill its properties in the generated panel.
        await page.Locator("[data-node=human-task] rect").ClickAsync();
        await page.Locator("#prop-human-task-title-zh").FillAsync("审查调解申请");
        await page.Locator("#prop-human-task-title-en").FillAsync("Review the application");
        await page.Locator("#prop-human-task-outcomes").FillAsync("accept\ndecline");
        await page.Locator("#prop-human-task-outcomes").BlurAsync();
        await page.GetByLabel("角色").Last.SelectOptionAsync("mediator");

        // The task's outcomes become ports: connect both to the end.
        await page.Locator("[data-node=human-task] [data-port=decline]").WaitForAsync();
        await ConnectAsync(page, "human-task", "accept", "end");
        await ConnectAsync(page, "human-task", "decline", "end");

        await Assertions.Expect(page.Locator("[data-node=human-task].error")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-test=publish]")).ToBeEnabledAsync();
        await browser.ScreenshotAsync("designer-canvas");
        await page.Locator("[data-test=publish]").ClickAsync();
        await page.Locator("#publish-note").FillAsync("第一版");
        await page.Locator("[data-test=publish-confirm]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=message]")).ToContainTextAsync("已发布 v");

        // Rehearse it to the end: acting as the mediator, accept the application; the path lights up on the canvas.
        await page.Locator("[data-test=rehearse]").ClickAsync();
        await page.Locator("[data-test=rehearsal-start]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=rehearsal-status]")).ToHaveAttributeAsync("data-status", "Waiting");
        await page.Locator("[data-node=human-task].current").WaitForAsync();
        await page.Locator("#act-as").SelectOptionAsync("mediator");
        await page.Locator("[data-wait=human-task] [data-outcome=accept]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=rehearsal-status]")).ToHaveAttributeAsync("data-status", "Completed");
        await page.Locator("[data-edge='human-task/accept/end'].active").WaitForAsync();
        await page.Locator("[data-node=end].active").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-edge='human-task/decline/end'].active")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("[data-test=timeline]")).ToContainTextAsync("流程结束");
        await browser.ScreenshotAsync("designer-rehearsal");
        await page.Locator("[data-test=rehearsal-close]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-node].active")).ToHaveCountAsync(0);

        // Change the published workflow: a new title for the task and a waiting step. The draft saves itself.
        await page.Locator("[data-node=human-task] rect").ClickAsync();
        await page.Locator("#prop-human-task-title-zh").FillAsync("审查调解申请（两个工作日内）");
        await page.Locator("#prop-human-task-title-zh").BlurAsync();
        await page.Locator(".yd-palette-item[data-type=Delay]").DragToAsync(canvas, new() { TargetPosition = new() { X = 420, Y = 420 } });
        await page.Locator("[data-node=delay]").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-test=save-state]")).ToContainTextAsync("草稿已保存（v2）", new() { Timeout = 15_000 });

        // The versions page draws the difference on the canvas: the task changed, the delay added.
        await page.Locator("[data-test=versions]").ClickAsync();
        await page.WaitForURLAsync("**/designer/workflows/neighbour-mediation/versions");
        await page.Locator("[data-node=human-task].diff-changed").WaitForAsync();
        await page.Locator("[data-node=delay].diff-added").WaitForAsync();
        await Assertions.Expect(page.Locator("[data-test=changes]")).ToContainTextAsync("human-task：title");
        await browser.ScreenshotAsync("designer-diff");

        // Back in the list: v1 published, v2 a draft, under the designer's org unit.
        await page.GotoAsync("designer");
        var row = page.Locator("tr").Filter(new() { HasText = "neighbour-mediation" });
        await Assertions.Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("v2");
        await Assertions.Expect(row.Locator("td").Nth(3)).ToContainTextAsync("草稿");
        await Assertions.Expect(row.Locator("td").Nth(4)).ToHaveTextAsync("v1");
        await browser.ScreenshotAsync("designer-list");
    }

    /// <summary>Presses on an outcome's port, moves onto the target activity and lets go, as a person drags a connection.</summary>
    private static async Task ConnectAsync(IPage page, string from, string outcome, string to)
    {
        var port = await page.Locator($"[data-node='{from}'] [data-port='{outcome}'] circle").BoundingBoxAsync() ?? throw new InvalidOperationException($"No port {from}/{outcome}.");
        var target = await page.Locator($"[data-node='{to}'] rect").BoundingBoxAsync() ?? throw new InvalidOperationException($"No activity {to}.");
        await page.Mouse.MoveAsync(port.X + (port.Width / 2), port.Y + (port.Height / 2));
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(target.X + 20, target.Y + 20, new() { Steps = 8 });
        await page.Mouse.UpAsync();
        await page.Locator($"[data-edge='{from}/{outcome}/{to}']").WaitForAsync();
    }
}
