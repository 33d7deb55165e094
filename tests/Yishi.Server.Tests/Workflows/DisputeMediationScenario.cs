using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Engine.Time;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Workflows;

public sealed class SqliteDisputeMediation : DisputeMediationScenario<SqliteTestDatabase>;

public sealed class PostgreSqlDisputeMediation : DisputeMediationScenario<PostgreSqlTestDatabase>;

/// <summary>
/// The shipped <c>dispute-mediation</c> workflow (人民调解), imported from <c>workflows/</c> with the shipped templates,
/// driven through the public API on a clock the test moves: each test is one path through the process.
/// </summary>
public abstract class DisputeMediationScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string Declined = "调解申请不予受理";
    private const string Accepted = "调解申请已受理";
    private const string Failed = "调解终止告知";
    private const string Reminder = "司法确认申请期限提醒";
    private const string Rate = "请对案件办理情况作出评价";
    private const string RiskAlert = "【风险预警】";

    private async Task<DisputeMediationCase> RegisterAsync()
    {
        var shipped = Path.Combine(Yishi.Server.Hosting.RepositoryPaths.Root(AppContext.BaseDirectory), "workflows", "dispute-mediation.json");
        File.Copy(shipped, Path.Combine(WorkflowsFolder, "dispute-mediation.json"));
        Notifications.NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        var clock = new ManualClock();
        var server = NewServer().WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        return await DisputeMediationCase.RegisterAsync(server, clock, Ct);
    }

    private static void AssertDue(DisputeMediationCase @case, JsonNode task, int workingDays)
    {
        var calendar = @case.Server.Services.GetRequiredService<IWorkingCalendar>();
        var created = task["createdAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(calendar.AddWorkingDays(created, workingDays), task["dueAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task TheShippedDefinition_ValidatesWithoutErrorsOrWarnings_AndIsPublishedAtStartUp()
    {
        var @case = await RegisterAsync();
        using var staff = await @case.Server.SignedInClientAsync("staff", Ct);
        var file = await File.ReadAllTextAsync(Path.Combine(WorkflowsFolder, "dispute-mediation.json"), Ct);
        using var checkedResponse = await staff.PostAsync("/api/definitions/validate", Http.Json(file), Ct);
        var validation = await checkedResponse.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Empty(validation["problems"]!.AsArray());
        using var row = await staff.GetAsync("/api/definitions/dispute-mediation", Ct);
        Assert.Equal("Published", (await row.ReadJsonAsync(HttpStatusCode.OK, Ct))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Review_Decline_TellsTheApplicant_AndArchivesAsDeclined()
    {
        var @case = await RegisterAsync();
        var review = await @case.TaskAsync("review");
        AssertDue(@case, review, 3);
        // A risk can be reported from registration on: the watch task is open beside the review.
        await @case.TaskAsync("risk-watch");

        await @case.CompleteAsync("review", "decline", new JsonObject { ["reason"] = "不属于民间纠纷，已告知向有关部门反映。" });

        Assert.Equal("declined", await @case.CompletedResultAsync());
        var inbox = await @case.NoticeAsync("resident1", Declined);
        Assert.Single(inbox, t => t.StartsWith(Declined, StringComparison.Ordinal));
        Assert.DoesNotContain(await @case.InboxTitlesAsync("resident2"), t => t.StartsWith(Declined, StringComparison.Ordinal));
        // The End withdrew the open risk watch.
        Assert.Empty(await @case.TasksAsync());
    }

    [Fact]
    public async Task Consent_Refused_TellsBothPartiesOfOtherRoutes_AndArchivesAsRefused()
    {
        var @case = await RegisterAsync();
        await @case.CompleteAsync("review", "accept", new JsonObject { ["mediator"] = "王秀英" });
        await @case.NoticeAsync("resident1", Accepted);
        var consent = await @case.TaskAsync("consent");
        AssertDue(@case, consent, 5);

        await @case.CompleteAsync("consent", "refused");

        Assert.Equal("refused", await @case.CompletedResultAsync());
        await @case.NoticeAsync("resident1", Declined);
        await @case.NoticeAsync("resident2", Declined);
    }

    [Fact]
    public async Task Consent_NoAnswerInFiveWorkingDays_EndsTheSameWay()
    {
        var @case = await RegisterAsync();
        await @case.CompleteAsync("review", "accept", new JsonObject { ["mediator"] = "王秀英" });
        var consent = await @case.TaskAsync("consent");
        var created = consent["createdAt"]!.GetValue<DateTimeOffset>();
        var due = consent["dueAt"]!.GetValue<DateTimeOffset>();

        // Past half of the five working days the mediators are warned; the task stays open.
        @case.Advance((due - created) * 0.6);
        await @case.NoticeAsync("mediator", "任务时限预警：征求对方当事人是否同意调解");
        Assert.Contains(await @case.TasksAsync(), t => t!["activityId"]!.GetValue<string>() == "consent");

        @case.Advance((due - created) * 0.5);
        Assert.Equal("refused", await @case.CompletedResultAsync());
        await @case.NoticeAsync("resident1", Declined);
        await @case.NoticeAsync("resident2", Declined);
        await @case.NoticeAsync("mediator", "任务已到期：征求对方当事人是否同意调解（案件 " + @case.Id + "）");
    }

    [Fact]
    public async Task Mediation_WithRecusalExtensionsAndARiskAlert_ThenFails_TellsThePartiesOfOtherRoutes()
    {
        var @case = await RegisterAsync();
        await @case.CompleteAsync("review", "accept", new JsonObject { ["mediator"] = "王秀英" });
        await @case.CompleteAsync("consent", "agreed");
        AssertDue(@case, await @case.TaskAsync("assign", "supervisor"), 2);
        await @case.CompleteAsync("assign", "assigned", new JsonObject { ["mediator"] = "王秀英" }, "supervisor");
        var mediate = await @case.TaskAsync("mediate");
        AssertDue(@case, mediate, 22);

        // A party asks the mediator to step aside: the supervisor assigns another.
        await @case.CompleteAsync("mediate", "recusal");
        await @case.CompleteAsync("assign", "assigned", new JsonObject { ["mediator"] = "陈建华" }, "supervisor");
        // An extension without both parties' consent is not granted; with it, the month starts again.
        await @case.CompleteAsync("mediate", "extend", new JsonObject { ["both_consent"] = false });
        await @case.CompleteAsync("mediate", "extend", new JsonObject { ["both_consent"] = true });
        AssertDue(@case, await @case.TaskAsync("mediate"), 22);

        await @case.CompleteAsync("risk-watch", "escalate", new JsonObject { ["note"] = "被申请人情绪激动，扬言报复。" });
        await @case.NoticeAsync("supervisor", RiskAlert);
        // The police liaison has no account and no role: the contact in risk_contacts gets the alert by SMS.
        using (var admin = await @case.Server.SignedInClientAsync("admin", Ct))
        {
            var deliveries = await Yishi.Testing.Eventually.UntilAsync(
                async () => (await (await admin.GetAsync("/api/admin/deliveries", Ct)).ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(),
                rows => rows.Any(r => r!["templateKey"]!.GetValue<string>() == "mediation/risk-alert" && r["channel"]!.GetValue<string>() == "sms"),
                DisputeMediationCase.Patience, Ct);
            var sms = deliveries.Single(r => r!["templateKey"]!.GetValue<string>() == "mediation/risk-alert" && r["channel"]!.GetValue<string>() == "sms")!;
            Assert.EndsWith("1111", sms["address"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(@case.Id, sms["instanceId"]!.GetValue<string>());
        }

        // The watch reopens for the next report.
        await @case.TaskAsync("risk-watch");

        await @case.CompleteAsync("mediate", "failed", new JsonObject { ["failure_reason"] = "双方对赔偿金额分歧较大。" });
        await @case.NoticeAsync("resident1", Failed);
        await @case.NoticeAsync("resident2", Failed);
        await @case.NoticeAsync("resident1", Rate);

        await @case.CompleteAsync("record-rating", "dissatisfied");
        Assert.Equal("failed", await @case.CompletedResultAsync());
    }

    [Fact]
    public async Task Agreement_SignedAndConfirmedInCourt_FollowedUp_Rated_IsArchivedAsAgreement()
    {
        var @case = await RegisterAsync();
        await ReachAgreementAsync(@case);
        await @case.CompleteAsync("signatures", "signed");
        await @case.CompleteAsync("ask-confirmation", "wanted");
        await @case.CompleteAsync("judicial-filing", "filed");

        AssertDue(@case, await @case.TaskAsync("follow-up"), 10);
        await @case.CompleteAsync("follow-up", "performed");
        await @case.NoticeAsync("resident2", Rate);
        await @case.CompleteAsync("record-rating", "satisfied");

        Assert.Equal("agreement", await @case.CompletedResultAsync());
        // The window was left by the filing: no reminder follows.
        Assert.DoesNotContain(await @case.InboxTitlesAsync("resident1"), t => t.StartsWith(Reminder, StringComparison.Ordinal));
    }

    [Fact]
    public async Task JudicialConfirmation_RemindsOnDays20And27_ThenTheWindowCloses_AndUnratedCasesCloseAfter7Days()
    {
        var @case = await RegisterAsync();
        await ReachAgreementAsync(@case);
        await @case.CompleteAsync("signatures", "signed");
        await @case.CompleteAsync("ask-confirmation", "wanted");
        await @case.TaskAsync("judicial-filing");

        @case.Advance(TimeSpan.FromDays(20) + TimeSpan.FromMinutes(1));
        await @case.NoticeAsync("resident1", Reminder);
        @case.Advance(TimeSpan.FromDays(7));
        await @case.NoticeAsync("resident2", Reminder, count: 2);
        Assert.Contains(await @case.TasksAsync(), t => t!["activityId"]!.GetValue<string>() == "judicial-filing");

        @case.Advance(TimeSpan.FromDays(3));
        // After the window the filing can no longer be recorded: the case goes on to the follow-up visit.
        await @case.TaskAsync("follow-up");
        Assert.DoesNotContain(await @case.TasksAsync(), t => t!["activityId"]!.GetValue<string>() == "judicial-filing");

        await @case.CompleteAsync("follow-up", "not-performed");
        await @case.NoticeAsync("resident1", Rate);
        @case.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        Assert.Equal("agreement-not-performed", await @case.CompletedResultAsync());
    }

    [Fact]
    public async Task Agreement_NotSigned_IsAFailure_WithoutJudicialConfirmation_WhenNotWanted()
    {
        var @case = await RegisterAsync();
        await ReachAgreementAsync(@case);
        await @case.CompleteAsync("signatures", "not-signed");
        await @case.NoticeAsync("resident1", Failed);
        await @case.CompleteAsync("record-rating", "partly-satisfied");
        Assert.Equal("failed", await @case.CompletedResultAsync());

        var second = await DisputeMediationCase.RegisterAsync(@case.Server, @case.Clock, Ct);
        await ReachAgreementAsync(second);
        await second.CompleteAsync("signatures", "signed");
        await second.CompleteAsync("ask-confirmation", "not-wanted");
        await second.CompleteAsync("follow-up", "performed");
        await second.CompleteAsync("record-rating", "satisfied");
        Assert.Equal("agreement", await second.CompletedResultAsync());
    }

    /// <summary>Accepted, consented, assigned, mediated to an agreement whose document is rendered; waits for signatures.</summary>
    private static async Task ReachAgreementAsync(DisputeMediationCase @case)
    {
        await @case.CompleteAsync("review", "accept", new JsonObject { ["mediator"] = "王秀英" });
        await @case.CompleteAsync("consent", "agreed");
        await @case.CompleteAsync("assign", "assigned", new JsonObject { ["mediator"] = "王秀英" }, "supervisor");
        await @case.CompleteAsync("mediate", "agreement");
        await @case.CompleteAsync("draft-agreement", "ready", new JsonObject
        {
            ["facts"] = "602室卫生间防水层老化，渗水至502室。",
            ["issues"] = "漏水责任、修复方式和时间、赔偿金额。",
            ["terms"] = "被申请人于2026年12月10日前重做防水。\n被申请人赔偿申请人人民币叁仟捌佰元整。",
            ["performance"] = "赔偿款于2026年12月5日前一次性转账支付。",
        });
        AssertDue(@case, await @case.TaskAsync("signatures"), 5);

        using var mediator = await @case.Server.SignedInClientAsync("mediator", Ct);
        var documents = await Yishi.Testing.Eventually.UntilAsync(
            async () => (await (await mediator.GetAsync($"/api/instances/{@case.Id}/documents", Ct)).ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(),
            rows => rows.Count == 1, TimeSpan.FromSeconds(90), Ct);
        Assert.Equal($"人民调解协议书（{@case.Id}）", documents[0]!["title"]!.GetValue<string>());
        using var page = await mediator.GetAsync($"/api/documents/{documents[0]!["id"]}", Ct);
        var html = await page.Content.ReadAsStringAsync(Ct);
        Assert.Contains("申请人：张丽华，女，汉族，46岁，住幸福路18号3栋502室。", html, StringComparison.Ordinal);
        Assert.Contains("<li>被申请人于2026年12月10日前重做防水。</li>", html, StringComparison.Ordinal);
        Assert.Contains("<li>被申请人赔偿申请人人民币叁仟捌佰元整。</li>", html, StringComparison.Ordinal);
        Assert.Contains("赔偿款于2026年12月5日前一次性转账支付。", html, StringComparison.Ordinal);
        Assert.Contains("本协议一式三份", html, StringComparison.Ordinal);
    }
}
