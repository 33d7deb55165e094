using Microsoft.Playwright;
using Yishi.Testing;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// The resident portal on a phone: plain server-rendered pages (no live connection, no blazor.web.js) that fit 360 px,
/// where a resident signs in with their phone number, votes and keeps a receipt, and sees only their own cases.
/// </summary>
public sealed class ResidentPortalTests
{
    private const int PhoneWidth = 360;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AResidentOnAPhone_VotesInAnOpenBallot_AndChecksTheReceipt()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct, viewport: (PhoneWidth, 740));
        var ballotId = await browser.OpenBallotAsync("portal-lift-vote", "三号楼加装电梯", "c1", "resident1", Ct);
        var page = browser.Page;
        var scripts = new List<string>();
        page.Request += (_, request) => scripts.Add(request.Url);

        await page.SignInResidentAsync(1, "me/ballots");
        Assert.EndsWith("/me/ballots", page.Url, StringComparison.Ordinal);
        await AssertFitsAPhoneAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "三号楼加装电梯" }).ClickAsync();
        await page.WaitForURLAsync($"**/me/ballots/{ballotId}");
        await Assertions.Expect(page.Locator("[data-test=ballot-notice]")).ToContainTextAsync("投票中");
        // The closing time is given in Beijing time.
        await Assertions.Expect(page.Locator("[data-test=ballot-closes]")).ToContainTextAsync("北京时间");
        await AssertFitsAPhoneAsync(page);
        await page.GetByLabel("赞成").CheckAsync();
        await browser.ScreenshotAsync("portal-ballot-phone");

        await page.Locator("[data-test=cast-vote]").ClickAsync();
        var receipt = page.Locator("[data-test=receipt-code]");
        await Assertions.Expect(receipt).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$"));
        var code = (await receipt.TextContentAsync())!.Trim();
        await AssertFitsAPhoneAsync(page);
        await browser.ScreenshotAsync("portal-receipt-phone");

        // The vote was written: the API says so too, and a second vote is refused in plain words.
        using (var resident = await browser.ApiAsync("resident1", Ct))
        {
            var ballot = await resident.SendJsonAsync(HttpMethod.Get, $"api/ballots/{ballotId}", null, Ct);
            Assert.Equal("online", ballot["me"]!["voted"]!.GetValue<string>());
        }

        await page.GotoAsync($"me/ballots/{ballotId}");
        await Assertions.Expect(page.Locator("[data-test=already-voted]")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("[data-test=vote-form]").CountAsync());

        // Later: the receipt code is checked on its own page.
        await page.GotoAsync("me/receipts");
        await page.Locator("#ballot").SelectOptionAsync(ballotId);
        await page.Locator("#code").FillAsync(code);
        await page.Locator("[data-test=check-receipt]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=receipt-result]")).ToHaveAttributeAsync("data-counted", "true");
        await AssertFitsAPhoneAsync(page);

        // A code that is not this ballot's is not confirmed, and the typed code stays in the box.
        await page.Locator("#code").FillAsync("AAAA-BBBB-CCCC");
        await page.Locator("[data-test=check-receipt]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=receipt-refused]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#code")).ToHaveValueAsync("AAAA-BBBB-CCCC");

        Assert.DoesNotContain(scripts, url => url.Contains("blazor.web.js", StringComparison.Ordinal) || url.Contains("MudBlazor", StringComparison.Ordinal));
        Assert.Contains(scripts, url => url.Contains("portal.css", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AResidentWhoTypesAnotherResidentsCaseAddress_GetsTheNotYoursPage_AndNoneOfItsData()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct, viewport: (PhoneWidth, 740));
        const string title = "楼上漏水邻里纠纷调解";
        // resident2 (王晓明) and resident4 (赵晓明) are the parties; resident3 is not.
        var caseId = await browser.DisputeAsync(title, "resident2", "resident4", Ct);
        var page = browser.Page;

        await page.SignInResidentAsync(2, "me/cases");
        await Assertions.Expect(page.Locator("[data-test=case]")).ToHaveCountAsync(1);
        await page.Locator("[data-test=case] a").ClickAsync();
        await page.WaitForURLAsync($"**/me/cases/{caseId}");
        await Assertions.Expect(page.Locator("[data-test=case-timeline]")).ToContainTextAsync("案件已登记");
        var partyView = await page.ContentAsync();
        // A party sees the story, not the other party's name nor the staff's internals.
        Assert.DoesNotContain("赵晓明", partyView, StringComparison.Ordinal);
        Assert.DoesNotContain("赵**", partyView, StringComparison.Ordinal);
        Assert.DoesNotContain("已被领取", partyView, StringComparison.Ordinal);
        await AssertFitsAPhoneAsync(page);
        await browser.ScreenshotAsync("portal-case-timeline");

        await page.Locator("[data-test=portal-sign-out]").ClickAsync();
        await page.WaitForURLAsync("**/me/login**");

        await page.SignInResidentAsync(3, "me/cases");
        await Assertions.Expect(page.Locator("[data-test=no-cases]")).ToBeVisibleAsync();
        var response = await page.GotoAsync($"me/cases/{caseId}");
        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.Locator("[data-test=not-yours] h1")).ToHaveTextAsync("这不是您的事项");
        var html = await page.ContentAsync();
        foreach (var secret in new[] { title, "王晓明", "王**", "赵晓明", "赵**", "案件已登记", "纠纷调解" })
        {
            Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        }

        Assert.Equal(0, await page.Locator("[data-test=case-timeline]").CountAsync());
        await AssertFitsAPhoneAsync(page);
        await browser.ScreenshotAsync("portal-not-yours");

        // The same page in English.
        await page.Locator("[data-test=portal-language]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=not-yours] h1")).ToHaveTextAsync("This case is not yours");
    }

    [Fact]
    public async Task AResident_GivesAnOpinion_AndRatesAnOutcome_OnTheirPhone()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct, viewport: (PhoneWidth, 740));
        var opinionsId = await browser.OpenConsultationAsync("portal-parking", "东门空地改建停车场", "opinions", "c1", "resident1", Ct);
        var evaluationId = await browser.OpenConsultationAsync("portal-parking-rating", "东门停车场效果评价", "evaluation", "c1", "resident1", Ct);
        var page = browser.Page;

        await page.SignInResidentAsync(1, "me/consultations");
        await Assertions.Expect(page.Locator("[data-test=consultation]")).ToHaveCountAsync(2);
        await page.GetByRole(AriaRole.Link, new() { Name = "东门空地改建停车场" }).ClickAsync();
        await page.WaitForURLAsync($"**/me/consultations/{opinionsId}");
        await Assertions.Expect(page.Locator("[data-test=consultation-description]")).ToContainTextAsync("停车场");
        await page.GetByLabel("支持").CheckAsync();
        await page.Locator("#opinion-text").FillAsync("赞成，但请保留两棵老榕树。");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交意见" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=consultation-saved]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("[data-test=my-opinion]")).ToContainTextAsync("保留两棵老榕树");
        await AssertFitsAPhoneAsync(page);

        // The server has it as the resident's own opinion.
        using (var resident = await browser.ApiAsync("resident1", Ct))
        {
            var consultation = await resident.SendJsonAsync(HttpMethod.Get, $"api/consultations/{opinionsId}", null, Ct);
            Assert.Equal("support", consultation["myOpinion"]!["stance"]!.GetValue<string>());
        }

        await page.GotoAsync($"me/consultations/{evaluationId}");
        await page.Locator("fieldset").Nth(0).GetByLabel("4 分 · 满意").CheckAsync();
        await page.Locator("fieldset").Nth(1).GetByLabel("5 分 · 很满意").CheckAsync();
        await page.Locator("#comment").FillAsync("车位够用了。");
        await page.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=evaluated]")).ToBeVisibleAsync();
        await AssertFitsAPhoneAsync(page);
        await browser.ScreenshotAsync("portal-consultation-rated");
    }

    [Fact]
    public async Task AParty_RatesTheirClosingMediationCase_OnThePortal()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct, viewport: (PhoneWidth, 740));
        var caseId = await browser.DisputeAsync("楼道堆物纠纷调解", "resident1", "resident3", Ct);
        await browser.CompleteTaskAsync("mediator", caseId, "review", "accept", new() { ["mediator"] = "王秀英" }, Ct);
        await browser.CompleteTaskAsync("mediator", caseId, "consent", "agreed", null, Ct);
        await browser.CompleteTaskAsync("supervisor", caseId, "assign", "assigned", new() { ["mediator"] = "王秀英" }, Ct);
        await browser.CompleteTaskAsync("mediator", caseId, "mediate", "failed", new() { ["failure_reason"] = "双方分歧较大。" }, Ct);
        var page = browser.Page;

        await page.SignInResidentAsync(1, $"me/cases/{caseId}");
        var form = page.Locator("[data-test=rating-form]");
        await form.GetByLabel("基本满意").CheckAsync();
        await page.Locator("#rating-comment").FillAsync("调解员很耐心。");
        await form.GetByRole(AriaRole.Button, new() { Name = "提交评价" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=my-rating]")).ToHaveTextAsync("基本满意：调解员很耐心。");
        Assert.Equal(0, await page.Locator("[data-test=rating-form]").CountAsync());
        await AssertFitsAPhoneAsync(page);
        await browser.ScreenshotAsync("portal-case-rated");

        // Staff read it in the case file.
        using var mediator = await browser.ApiAsync("mediator", Ct);
        var records = (await mediator.SendJsonAsync(HttpMethod.Get, $"api/instances/{caseId}/records", null, Ct)).AsArray();
        Assert.Contains(records, r => r!["kind"]!.GetValue<string>() == "rating" && r["title"]!.GetValue<string>() == "partly-satisfied");
    }

    [Fact]
    public async Task AResident_SignsInWithACodeSentBySms()
    {
        await using var sms = await FakeSmsGateway.StartAsync("yishi-portal", "portal-secret", cancellationToken: Ct);
        await using var browser = await DesignerBrowser.StartAsync(Ct, viewport: (PhoneWidth, 740), environment: new Dictionary<string, string>
        {
            ["Yishi__Sms__Url"] = sms.Url.ToString(),
            ["Yishi__Sms__KeyId"] = "yishi-portal",
            ["Yishi__Sms__Secret"] = "portal-secret",
        });
        var page = browser.Page;
        await page.GotoAsync("me/ballots");
        await page.WaitForURLAsync("**/me/login**");
        await page.Locator("[data-test=login-with-code]").ClickAsync();
        await page.Locator("#phone").FillAsync(PortalSteps.PhoneOf(5));
        await page.Locator("[data-test=send-code]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=portal-code-sent]")).ToBeVisibleAsync();
        // The phone number stays in its box for the second step.
        await Assertions.Expect(page.Locator("#phone")).ToHaveValueAsync(PortalSteps.PhoneOf(5));
        var message = await Yishi.Testing.Eventually.UntilAsync(() => Task.FromResult(sms.Delivered.ToList()), list => list.Count == 1, TimeSpan.FromSeconds(10), Ct);
        Assert.Equal(PortalSteps.PhoneOf(5), message[0].To);
        var code = message[0].Params["code"];

        // A wrong code is refused in plain words first.
        var wrong = ((int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) + 1) % 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        await page.Locator("#code").FillAsync(wrong);
        await page.Locator("[data-test=sign-in-with-code]").ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=portal-login-error]")).ToContainTextAsync("验证码不正确");

        await page.Locator("#code").FillAsync(code);
        await page.Locator("[data-test=sign-in-with-code]").ClickAsync();
        await page.WaitForURLAsync("**/me/ballots");
        await Assertions.Expect(page.Locator("nav.portal-nav")).ToBeVisibleAsync();
        await AssertFitsAPhoneAsync(page);
    }

    [Fact]
    public async Task AStaffAccount_IsNotLetIntoThePortal_AndAWrongPasswordIsSaidPlainly()
    {
        await using var browser = await DesignerBrowser.StartAsync(Ct, viewport: (PhoneWidth, 740));
        var page = browser.Page;
        await page.GotoAsync("me/login");
        await page.Locator("#phone").FillAsync(PortalSteps.PhoneOf(1));
        await page.Locator("#password").FillAsync("not-the-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "登录", Exact = true }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-test=portal-login-error]")).ToHaveTextAsync("手机号或密码不正确。");
        await Assertions.Expect(page.Locator("#phone")).ToHaveValueAsync(PortalSteps.PhoneOf(1));

        // A staff member signed in elsewhere who opens the portal is told it is for residents.
        await browser.SignInAsync("staff");
        await page.GotoAsync("me");
        await page.WaitForURLAsync("**/me/login?denied=1**");
        await Assertions.Expect(page.Locator("[data-test=portal-denied]")).ToBeVisibleAsync();
    }

    private static async Task AssertFitsAPhoneAsync(IPage page)
    {
        Assert.True(await page.ScrollWidthAsync() <= PhoneWidth, $"{page.Url} is {await page.ScrollWidthAsync()} px wide on a {PhoneWidth} px phone.");
        var unnamed = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('input:not([type=hidden]), select, textarea, button')]
              .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label') && !(e.textContent || '').trim())
              .map(e => e.outerHTML.slice(0, 200))
            """);
        Assert.True(unnamed.Length == 0, "Controls without a name: " + string.Join(Environment.NewLine, unnamed));
    }
}
