using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Tests.Support;
using static Yishi.Server.Tests.Workflows.VillageRuleVoteCase;

namespace Yishi.Server.Tests.Workflows;

public sealed class SqliteVillageRuleVote : VillageRuleVoteScenario<SqliteTestDatabase>;

public sealed class PostgreSqlVillageRuleVote : VillageRuleVoteScenario<PostgreSqlTestDatabase>;

/// <summary>
/// The shipped <c>village-rule-vote</c> workflow (村规民约), imported from <c>workflows/</c> with the shipped templates,
/// driven through the public API on a clock the test moves: six villagers of 西坪村 give opinions, read the displayed
/// draft and the notice, and vote online or on paper; the committee drafts and handles objections; the street's reviewer
/// reviews and files. Each test is one or more paths; together they take every outcome of every step.
/// </summary>
public abstract class VillageRuleVoteScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string Title = "《" + RuleTitle + "》";
    private const string Opinions = "村民普遍关心环境卫生、红白喜事和公共设施，建议分别写入。";
    private const string Article1 = "第一条 为推进村民自治，建设文明和谐乡村，结合本村实际，制定本村规民约。";
    private const string Article2 = "第二条 爱护公共环境，垃圾分类投放，房前屋后保持整洁。";
    private const string Article3 = "第三条 红白喜事简办，不大操大办。";
    private const string FineArticle = "第四条 损坏路灯、村道等公共设施的，罚款二百元。";
    private const string RepairArticle = "第四条 爱护路灯、村道等公共设施，损坏的照价赔偿。";
    private static readonly string DraftWithFine = string.Join('\n', Article1, Article2, Article3, FineArticle);
    private static readonly string Draft = string.Join('\n', Article1, Article2, Article3, RepairArticle);

    private const string ReturnedNote = "第四条设定罚款没有法律依据，村规民约不得设定罚款，请改为照价赔偿。";
    private const string VoteNotice = "村民会议表决公告：" + Title;
    private const string Published = "公布：" + Title;

    private static string ReviewRequest(int version) => $"合法性审查：{Title}草案第{version}稿";

    private static string Redraft(int version) => $"草案需修改：{Title}第{version}稿";

    private static string Display(int version) => $"公示：{Title}（草案第{version}稿）";

    private async Task<VillageRuleVoteCase> StartAsync(JsonObject? input = null)
    {
        var shipped = Path.Combine(Yishi.Server.Hosting.RepositoryPaths.Root(AppContext.BaseDirectory), "workflows", "village-rule-vote.json");
        File.Copy(shipped, Path.Combine(WorkflowsFolder, "village-rule-vote.json"));
        Notifications.NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        var clock = new ManualClock();
        var server = NewServer().WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        return await VillageRuleVoteCase.StartAsync(server, clock, Ct, input);
    }

    [Fact]
    public async Task TheShippedDefinition_ValidatesWithoutErrorsOrWarnings_AndIsPublishedAtStartUp()
    {
        var @case = await StartAsync();
        using var staff = await @case.Server.SignedInClientAsync("staff", Ct);
        var file = await File.ReadAllTextAsync(Path.Combine(WorkflowsFolder, "village-rule-vote.json"), Ct);
        using var checkedResponse = await staff.PostAsync("/api/definitions/validate", Http.Json(file), Ct);
        var validation = await checkedResponse.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Empty(validation["problems"]!.AsArray());
        using var row = await staff.GetAsync("/api/definitions/village-rule-vote", Ct);
        Assert.Equal("Published", (await row.ReadJsonAsync(HttpStatusCode.OK, Ct))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task ReturnedOnce_ThenDisplayedWithoutObjection_VotedOnlineAndOnPaper_IsFiledAndPublished()
    {
        var @case = await StartAsync();
        await @case.CollectOpinionsAsync(Opinions);

        // The first draft sets a fine: the street's reviewer sees version 1 and returns it with the reason.
        @case.AssertDue(await @case.TaskAsync("draft"), workingDays: 15);
        var review = await @case.SubmitDraftAsync(DraftWithFine, "根据征求意见情况起草。");
        @case.AssertDue(review, workingDays: 10);
        var request = await @case.StaffNoticeAsync("reviewer", ReviewRequest(1));
        Assert.Contains(FineArticle, request.Body, StringComparison.Ordinal);
        await @case.CompleteAsync("review", "returned", new JsonObject { ["note"] = ReturnedNote }, "reviewer");
        var redraft = await @case.StaffNoticeAsync("officer1", Redraft(1));
        Assert.Contains("合法性审查退回（第1稿）：" + ReturnedNote, redraft.Body, StringComparison.Ordinal);
        Assert.Contains("提交后为第2稿", redraft.Body, StringComparison.Ordinal);

        // Version 2 goes back to the reviewer, who approves it; the villagers see it displayed with the objection deadline.
        await @case.SubmitDraftAsync(Draft, "删去罚款，改为照价赔偿。");
        Assert.Contains(RepairArticle, (await @case.StaffNoticeAsync("reviewer", ReviewRequest(2))).Body, StringComparison.Ordinal);
        // Both versions are kept, each with its notes.
        var drafts = (await @case.VariablesAsync())["drafts"]!.AsArray();
        Assert.Equal([(1, DraftWithFine, "根据征求意见情况起草。"), (2, Draft, "删去罚款，改为照价赔偿。")],
            drafts.Select(d => (d!["version"]!.GetValue<int>(), d["text"]!.GetValue<string>(), d["notes"]!.GetValue<string>())));
        var approvedAt = @case.Now;
        await @case.CompleteAsync("review", "approved", null, "reviewer");
        var display = await @case.EveryVillagerNoticeAsync(Display(2));
        Assert.Contains($"公示期至{DateTimeCn(approvedAt.AddDays(7))}", display.Body, StringComparison.Ordinal);
        Assert.Contains(RepairArticle, display.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(FineArticle, display.Body, StringComparison.Ordinal);
        Assert.Contains("西坪村村部一楼", display.Body, StringComparison.Ordinal);

        // The objections are decided only once the seven days are over.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.DoesNotContain(await @case.TasksAsync(), t => t!["activityId"]!.GetValue<string>() == "objections");
        @case.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        var objections = await @case.TaskAsync("objections");
        Assert.True(objections["createdAt"]!.GetValue<DateTimeOffset>() >= approvedAt.AddDays(7));
        @case.AssertDue(objections, workingDays: 3);
        await @case.CompleteAsync("objections", "none");

        // Ten days' notice with the roll frozen: the notice names the dates the ballot keeps.
        var ballot = await @case.BallotAsync(1);
        var ballotId = ballot["id"]!.GetValue<string>();
        var opensAt = ballot["opensAt"]!.GetValue<DateTimeOffset>();
        var closesAt = ballot["closesAt"]!.GetValue<DateTimeOffset>();
        Assert.Equal(("notice", 6, "villagers-assembly", RuleTitle), (ballot["status"]!.GetValue<string>(), ballot["electorate"]!.GetValue<int>(),
            ballot["rule"]!.GetValue<string>(), ballot["title"]!.GetValue<string>()));
        Assert.Equal(TimeSpan.FromDays(10), opensAt - ballot["noticeAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(TimeSpan.FromDays(3), closesAt - opensAt);
        var notice = await @case.EveryVillagerNoticeAsync(VoteNotice);
        Assert.Contains($"定于{DateTimeCn(opensAt)}", notice.Body, StringComparison.Ordinal);
        Assert.Contains($"至{DateTimeCn(closesAt)}", notice.Body, StringComparison.Ordinal);
        Assert.Contains($"以本公告发布之日（{DateCn(ballot["noticeAt"]!.GetValue<DateTimeOffset>())}）", notice.Body, StringComparison.Ordinal);
        Assert.Contains(RepairArticle, notice.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("次召集", notice.Body, StringComparison.Ordinal);

        // Four vote online, one on paper; staff remind the one left, and only them.
        @case.AdvanceTo(opensAt);
        await @case.VoteAsync(ballotId, 0, "yes");
        await @case.VoteAsync(ballotId, 1, "yes");
        await @case.VoteAsync(ballotId, 2, "yes");
        await @case.VoteAsync(ballotId, 3, "no");
        await @case.VoteOnPaperAsync(ballotId, 4, "yes");
        using (var officer = await @case.Server.SignedInClientAsync("officer1", Ct))
        using (var remind = await officer.PostAsync($"/api/ballots/{ballotId}/reminders", null, Ct))
        {
            Assert.Equal(1, (await remind.ReadJsonAsync(HttpStatusCode.Accepted, Ct))["notYetVoted"]!.GetValue<int>());
        }

        var reminder = await @case.VillagerNoticeAsync(5, $"表决提醒：{Title}将于{DateCn(closesAt)}截止");
        Assert.Contains("西坪村村部一楼", reminder.Body, StringComparison.Ordinal);
        Assert.DoesNotContain(await @case.InboxAsync(villager: 0), m => m.Title.StartsWith("表决提醒", StringComparison.Ordinal));

        // Quorum first (5 of 6 took part), then the decision (4 of 5 for): passed. The whole roll hears the result.
        @case.AdvanceTo(closesAt);
        var result = await @case.ClosedResultAsync(ballotId);
        var counts = result["result"]!["questions"]![0]!["counts"]!;
        Assert.Equal(("passed", 5, 4, 1, 0), (result["result"]!["outcome"]!.GetValue<string>(), result["result"]!["attendees"]!.GetValue<int>(),
            counts["yes"]!.GetValue<int>(), counts["no"]!.GetValue<int>(), counts["abstain"]!.GetValue<int>()));
        var auditHead = result["auditHead"]!.GetValue<string>();
        var announced = await @case.EveryVillagerNoticeAsync($"表决结果公告：{Title}获得通过");
        Assert.Contains(auditHead, announced.Body, StringComparison.Ordinal);

        // Filing with the township within ten days, then the official text and the publication.
        var filing = await @case.TaskAsync("filing", "reviewer");
        @case.AssertDue(filing, days: 10);
        await @case.CompleteAsync("filing", "filed", new JsonObject { ["filing_no"] = "鹭街村约备〔2026〕3号" }, "reviewer");
        var published = await @case.EveryVillagerNoticeAsync(Published);
        Assert.Contains("同意 4 票、不同意 1 票、弃权 0 票", published.Body, StringComparison.Ordinal);
        Assert.Contains("备案编号：鹭街村约备〔2026〕3号", published.Body, StringComparison.Ordinal);
        Assert.Contains(RepairArticle, published.Body, StringComparison.Ordinal);
        Assert.Equal("adopted", await @case.CompletedResultAsync());

        var documents = await @case.DocumentsAsync(1);
        Assert.Equal(RuleTitle, Assert.Single(documents)!["title"]!.GetValue<string>());
        var html = await @case.DocumentHtmlAsync(documents[0]!["id"]!.GetValue<string>());
        foreach (var article in new[] { Article1, Article2, Article3, RepairArticle })
        {
            Assert.Contains($"<p>{article}</p>", html, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("罚款", html, StringComparison.Ordinal);
        Assert.Contains($"（{DateCn(closesAt)}西坪村村民会议表决通过　", html, StringComparison.Ordinal);
        Assert.Contains("备案编号：鹭街村约备〔2026〕3号", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{DateTimeCn(opensAt)}至{DateTimeCn(closesAt)}（第1次召集，草案第2稿）</td>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>应参加人数</th><td>6</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>实际参加人数</th><td>5（83.3%）</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>同意</th><td>4</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>不同意</th><td>1</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><th>弃权</th><td>0</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains($"<code>{auditHead}</code>", html, StringComparison.Ordinal);
        Assert.Contains("西坪村村民委员会", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUpheldObjection_SendsTheDraftBack_ADismissedOneIsAnswered_ANoQuorumVoteIsCalledAgain_AndARejectedOneIsRedrafted()
    {
        var @case = await StartAsync();
        await @case.CollectOpinionsAsync(Opinions);
        await @case.SubmitDraftAsync(Draft);
        await @case.CompleteAsync("review", "approved", null, "reviewer");
        await @case.EveryVillagerNoticeAsync(Display(1));
        @case.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        // Upheld: decided before any vote is called, so there is no ballot to withdraw.
        await @case.CompleteAsync("objections", "upheld", new JsonObject
        {
            ["summary"] = "村民书面提出：第三条未区分本村和外来人员。",
            ["reply"] = "异议成立，第三条增加适用范围。",
        });
        var redraft = await @case.StaffNoticeAsync("officer1", Redraft(1));
        Assert.Contains("公示期间异议成立（第1稿）：异议成立，第三条增加适用范围。", redraft.Body, StringComparison.Ordinal);
        using (var admin = await @case.Server.SignedInClientAsync("admin", Ct))
        using (var list = await admin.GetAsync("/api/ballots", Ct))
        {
            Assert.DoesNotContain((await list.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray(), b => b!["instanceId"]!.GetValue<string>() == @case.Id);
        }

        await @case.SubmitDraftAsync(Draft.Replace(Article3, "第三条 本村村民和在本村居住的人员红白喜事简办。", StringComparison.Ordinal));
        await @case.StaffNoticeAsync("reviewer", ReviewRequest(2));
        await @case.CompleteAsync("review", "approved", null, "reviewer");
        await @case.EveryVillagerNoticeAsync(Display(2));
        @case.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));

        // Dismissed: the reply is published to the villagers, and the vote is called.
        await @case.CompleteAsync("objections", "dismissed", new JsonObject
        {
            ["summary"] = "一位村民认为第二条过严。",
            ["reply"] = "第二条为倡导性条款，不设处罚，异议不成立。",
        });
        var answer = await @case.EveryVillagerNoticeAsync($"异议处理结果：{Title}草案第2稿");
        Assert.Contains("处理结果：第二条为倡导性条款，不设处罚，异议不成立。", answer.Body, StringComparison.Ordinal);

        // Round 1: one of six votes. No quorum: the vote decides nothing, and the committee picks the day to call it again.
        var first = await @case.BallotAsync(1);
        @case.AdvanceTo(first["opensAt"]!.GetValue<DateTimeOffset>());
        await @case.VoteAsync(first["id"]!.GetValue<string>(), 0, "yes");
        @case.AdvanceTo(first["closesAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("no_quorum", (await @case.ClosedResultAsync(first["id"]!.GetValue<string>()))["result"]!["outcome"]!.GetValue<string>());
        await @case.EveryVillagerNoticeAsync($"表决结果公告：{Title}未达法定人数");
        var reschedule = await @case.TaskAsync("reschedule");
        @case.AssertDue(reschedule, workingDays: 5);
        var noticeOn = reschedule["createdAt"]!.GetValue<DateTimeOffset>().AddDays(2);
        await @case.CompleteAsync("reschedule", "rescheduled", new JsonObject { ["notice_on"] = noticeOn.ToString("O", System.Globalization.CultureInfo.InvariantCulture) });

        // Nothing is called before the chosen day; on it, a new ballot with a new roll and ten days' notice.
        await Task.Delay(TimeSpan.FromSeconds(1), Ct);
        Assert.Single(await @case.InboxAsync(villager: 0), m => m.Title == VoteNotice);
        @case.AdvanceTo(noticeOn);
        var second = await @case.BallotAsync(2);
        Assert.True(second["noticeAt"]!.GetValue<DateTimeOffset>() >= noticeOn);
        var notice = await @case.VillagerNoticeAsync(0, VoteNotice, count: 2);
        Assert.Contains("本次为第2次召集", notice.Body, StringComparison.Ordinal);
        Assert.Contains($"定于{DateTimeCn(second["opensAt"]!.GetValue<DateTimeOffset>())}", notice.Body, StringComparison.Ordinal);

        // Round 2: five take part, four against. Rejected: back to drafting with the reason.
        var secondId = second["id"]!.GetValue<string>();
        @case.AdvanceTo(second["opensAt"]!.GetValue<DateTimeOffset>());
        for (var i = 0; i < 4; i++)
        {
            await @case.VoteAsync(secondId, i, "no");
        }

        await @case.VoteAsync(secondId, 4, "yes");
        @case.AdvanceTo(second["closesAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("rejected", (await @case.ClosedResultAsync(secondId))["result"]!["outcome"]!.GetValue<string>());
        await @case.EveryVillagerNoticeAsync($"表决结果公告：{Title}未获通过");
        var rejected = await @case.StaffNoticeAsync("officer1", Redraft(2));
        Assert.Contains("村民会议表决未获通过（第2次表决，第2稿）", rejected.Body, StringComparison.Ordinal);
        await @case.TaskAsync("draft");
        Assert.Equal("Waiting", (await @case.InstanceAsync())["status"]!.GetValue<string>());
        Assert.DoesNotContain(await @case.InboxAsync(villager: 0), m => m.Title == Published);
    }

    [Fact]
    public async Task NoQuorumInTheLastRound_EndsTheCaseAsAbandoned()
    {
        var @case = await StartAsync(new JsonObject { ["max_rounds"] = 1 });
        await @case.CollectOpinionsAsync(Opinions);
        await @case.SubmitDraftAsync(Draft);
        await @case.CompleteAsync("review", "approved", null, "reviewer");
        @case.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await @case.CompleteAsync("objections", "none");

        var ballot = await @case.BallotAsync(1);
        @case.AdvanceTo(ballot["closesAt"]!.GetValue<DateTimeOffset>());

        Assert.Equal("abandoned", await @case.CompletedResultAsync());
        await @case.EveryVillagerNoticeAsync($"表决结果公告：{Title}未达法定人数");
        Assert.Empty(await @case.TasksAsync());
    }

    [Fact]
    public async Task AFilingThatOrdersACorrection_SendsTheAdoptedTextBackForANewVersion()
    {
        var @case = await StartAsync();
        await @case.CollectOpinionsAsync(Opinions);
        await @case.SubmitDraftAsync(DraftWithFine);
        await @case.CompleteAsync("review", "approved", null, "reviewer");
        @case.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        await @case.CompleteAsync("objections", "none");
        var ballot = await @case.BallotAsync(1);
        var ballotId = ballot["id"]!.GetValue<string>();
        @case.AdvanceTo(ballot["opensAt"]!.GetValue<DateTimeOffset>());
        for (var i = 0; i < 4; i++)
        {
            await @case.VoteAsync(ballotId, i, "yes");
        }

        @case.AdvanceTo(ballot["closesAt"]!.GetValue<DateTimeOffset>());
        await @case.EveryVillagerNoticeAsync($"表决结果公告：{Title}获得通过");

        await @case.CompleteAsync("filing", "correction-ordered", new JsonObject { ["note"] = "第四条设定罚款，违反法律规定，责令改正。" }, "reviewer");

        var redraft = await @case.StaffNoticeAsync("officer1", Redraft(1));
        Assert.Contains("备案审查责令改正（第1稿）：第四条设定罚款，违反法律规定，责令改正。", redraft.Body, StringComparison.Ordinal);
        var review = await @case.SubmitDraftAsync(Draft);
        Assert.Contains(RepairArticle, (await @case.StaffNoticeAsync("reviewer", ReviewRequest(2))).Body, StringComparison.Ordinal);
        Assert.Equal("review", review["activityId"]!.GetValue<string>());
        Assert.Empty(await @case.DocumentsAsync(0));
        Assert.DoesNotContain(await @case.InboxAsync(villager: 0), m => m.Title == Published);
    }
}
