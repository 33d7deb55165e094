using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Engine.Time;
using Yishi.Server.Tests.Ballots;
using Yishi.Server.Tests.Support;
using Yishi.Testing;

namespace Yishi.Server.Tests.Workflows;

public sealed class SqliteResidentConsultation : ResidentConsultationScenario<SqliteTestDatabase>;

public sealed class PostgreSqlResidentConsultation : ResidentConsultationScenario<PostgreSqlTestDatabase>;

/// <summary>
/// The shipped <c>resident-consultation</c> workflow (居民协商) and its <c>resident-vote</c> sub-workflow, imported from
/// <c>workflows/</c> with the shipped templates and driven through the public API on a clock the test moves. The
/// demo's community c1 has residents 1, 2, 6, 7, 11, 12, 16 and 17; resident 3 lives in c2.
/// </summary>
public abstract class ResidentConsultationScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const string Notice = "协商议题公示：";
    private const string Declined = "您提议的议题未进入协商";
    private const string Progress = "协商事项落实进展：";
    private const string Feedback = "协商结果反馈：";
    private static readonly TimeSpan Patience = DisputeMediationCase.Patience;

    private WebApplicationFactory<Program> _server = null!;
    private ManualClock _clock = null!;

    private WebApplicationFactory<Program> Server()
    {
        var root = Yishi.Server.Hosting.RepositoryPaths.Root(AppContext.BaseDirectory);
        foreach (var name in new[] { "resident-consultation.json", "resident-vote.json" })
        {
            File.Copy(Path.Combine(root, "workflows", name), Path.Combine(WorkflowsFolder, name));
        }

        Notifications.NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        _clock = new ManualClock();
        _server = NewServer().WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(_clock)));
        return _server;
    }

    private DisputeMediationCase Case(string instanceId) => new(_server, _clock, instanceId, Ct);

    /// <summary>The community starts a topic of its own in c1 (no co-signing).</summary>
    private async Task<DisputeMediationCase> CommitteeTopicAsync(string topic)
    {
        using var admin = await _server.SignedInClientAsync("admin", Ct);
        using var started = await admin.PostAsJsonAsync("/api/instances", new
        {
            definitionId = "resident-consultation",
            orgUnitId = "c1",
            input = new JsonObject { ["topic"] = topic, ["description"] = "东门外电动车乱停影响通行，拟在东门内侧划设停放区。" },
        }, Ct);
        return Case((await started.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>());
    }

    private async Task<DisputeMediationCase> ProposeAsync(string userName, string topic)
    {
        using var resident = await _server.SignedInClientAsync(userName, Ct);
        using var proposed = await resident.PostAsJsonAsync("/api/proposals", new { topic, description = "希望小区增设快递柜。" }, Ct);
        return Case((await proposed.ReadJsonAsync(HttpStatusCode.Created, Ct))["instanceId"]!.GetValue<string>());
    }

    private async Task<JsonNode> ProposalOfAsync(DisputeMediationCase @case, string userName = "resident2") =>
        await Eventually.UntilAsync(async () =>
        {
            using var client = await _server.SignedInClientAsync(userName, Ct);
            using var list = await client.GetAsync("/api/proposals", Ct);
            return (await list.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().FirstOrDefault(p => p!["instanceId"]!.GetValue<string>() == @case.Id);
        }, p => p is not null, Patience, Ct) ?? throw new InvalidOperationException("No proposal.");

    private static async Task<HttpResponseMessage> SignAsync(HttpClient client, string proposalId) =>
        await client.PostAsync($"/api/proposals/{proposalId}/signatures", null);

    /// <summary>Waits for the open consultation on <paramref name="topic"/> of that kind; answers its id.</summary>
    private async Task<string> OpenConsultationAsync(string topic, string kind = "opinions")
    {
        var open = await Eventually.UntilAsync(async () =>
        {
            using var client = await _server.SignedInClientAsync("resident1", Ct);
            using var list = await client.GetAsync("/api/consultations?open=true", Ct);
            return (await list.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        }, rows => rows.Any(r => r!["topic"]!.GetValue<string>().StartsWith(topic, StringComparison.Ordinal) && r["kind"]!.GetValue<string>() == kind), Patience, Ct);
        return open.First(r => r!["topic"]!.GetValue<string>().StartsWith(topic, StringComparison.Ordinal) && r["kind"]!.GetValue<string>() == kind)!["id"]!.GetValue<string>();
    }

    private async Task OpinionAsync(string userName, string consultationId, string stance, string text)
    {
        using var client = await _server.SignedInClientAsync(userName, Ct);
        using var posted = await client.PostAsJsonAsync($"/api/consultations/{consultationId}/opinions", new { stance, text }, Ct);
        await posted.ReadJsonAsync(HttpStatusCode.Created, Ct);
    }

    /// <summary>Moves past the consultation's closing time and publishes staff's summary once it has closed.</summary>
    private Task SumUpAsync(string consultationId, string text) => SumUpAsync([consultationId], text);

    /// <summary>Moves past the closing time of consultations opened together and publishes each one's summary once it has closed.</summary>
    private async Task SumUpAsync(IEnumerable<string> consultationIds, string text)
    {
        _clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        using var staff = await _server.SignedInClientAsync("staff", Ct);
        foreach (var consultationId in consultationIds)
        {
            await Eventually.UntilAsync(async () =>
            {
                using var published = await staff.PostAsJsonAsync($"/api/consultations/{consultationId}/summary", new { text }, Ct);
                return published.StatusCode;
            }, status => status == HttpStatusCode.OK, Patience, Ct);
        }
    }

    /// <summary>Accepted, publicized for the notice period, then an online consultation with two opinions beside the meeting.</summary>
    private async Task DeliberateAsync(DisputeMediationCase @case, string topic)
    {
        var review = await @case.TaskAsync("review", "reviewer");
        var calendar = _server.Services.GetRequiredService<IWorkingCalendar>();
        Assert.Equal(calendar.AddWorkingDays(review["createdAt"]!.GetValue<DateTimeOffset>(), 5), review["dueAt"]!.GetValue<DateTimeOffset>());
        await @case.CompleteAsync("review", "accept", userName: "reviewer");
        // The public notice goes to every resident of the community, not to those elsewhere.
        await @case.NoticeAsync("resident6", Notice + topic);
        Assert.DoesNotContain(await @case.InboxTitlesAsync("resident3"), t => t.StartsWith(Notice, StringComparison.Ordinal));
        // Nothing opens during the five days' notice.
        Assert.DoesNotContain(await @case.TasksAsync("supervisor"), t => t!["activityId"]!.GetValue<string>() == "meeting");

        _clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        var consultation = await OpenConsultationAsync(topic);
        await OpinionAsync("resident1", consultation, "support", "电动车没地方停，支持划设。");
        await OpinionAsync("resident2", consultation, "neutral", "注意别占消防通道。");
        await @case.CompleteAsync("meeting", "held", new JsonObject { ["attendees"] = 23, ["minutes"] = "物业、楼栋长和居民代表参加，同意在东门内侧划设停放区。" }, "supervisor");
        await SumUpAsync(consultation, "多数居民支持，需避开消防通道。");
    }

    [Fact]
    public async Task TheShippedDefinitions_ValidateWithoutErrorsOrWarnings_AndArePublishedAtStartUp()
    {
        var server = Server();
        using var staff = await server.SignedInClientAsync("staff", Ct);
        foreach (var id in new[] { "resident-consultation", "resident-vote" })
        {
            var file = await File.ReadAllTextAsync(Path.Combine(WorkflowsFolder, id + ".json"), Ct);
            using var checkedResponse = await staff.PostAsync("/api/definitions/validate", Http.Json(file), Ct);
            Assert.Empty((await checkedResponse.ReadJsonAsync(HttpStatusCode.OK, Ct))["problems"]!.AsArray());
            using var row = await staff.GetAsync($"/api/definitions/{id}", Ct);
            Assert.Equal("Published", (await row.ReadJsonAsync(HttpStatusCode.OK, Ct))["status"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task AResidentsProposal_CosignedByTenNeighbours_GoesToReview_WhichRejectsIt_AndTellsTheProposerWhy()
    {
        var server = Server();
        var neighbours = BallotWorkflows.Adults(9, 13900000100, "c1-g2");
        await server.ImportAsync(neighbours, Ct);
        var tokens = await server.TokensByPhoneAsync([.. neighbours.Select(n => n.Phone)], Ct);
        var @case = await ProposeAsync("resident1", "小区增设智能快递柜");

        var proposal = await ProposalOfAsync(@case);
        var id = proposal["id"]!.GetValue<string>();
        Assert.Equal(("小区增设智能快递柜", 10, 0, "open"), (proposal["topic"]!.GetValue<string>(), proposal["threshold"]!.GetValue<int>(),
            proposal["signatures"]!.GetValue<int>(), proposal["status"]!.GetValue<string>()));
        // The proposer's own signature does not count; a resident elsewhere does not see it; staff do not sign.
        using (var proposer = await server.SignedInClientAsync("resident1", Ct))
        {
            await (await SignAsync(proposer, id)).ReadProblemAsync(HttpStatusCode.Conflict, "own-proposal", Ct);
        }

        using (var elsewhere = await server.SignedInClientAsync("resident3", Ct))
        {
            await (await SignAsync(elsewhere, id)).ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        }

        using (var staff = await server.SignedInClientAsync("mediator", Ct))
        {
            await (await SignAsync(staff, id)).ReadProblemAsync(HttpStatusCode.Forbidden, "residents-only", Ct);
        }

        using (var neighbour = await server.SignedInClientAsync("resident2", Ct))
        {
            var signed = await (await SignAsync(neighbour, id)).ReadJsonAsync(HttpStatusCode.Created, Ct);
            Assert.Equal((1, true), (signed["signatures"]!.GetValue<int>(), signed["signedByMe"]!.GetValue<bool>()));
            await (await SignAsync(neighbour, id)).ReadProblemAsync(HttpStatusCode.Conflict, "already-signed", Ct);
        }

        // Nobody reviews it before enough neighbours back it.
        Assert.Empty(await @case.TasksAsync("reviewer"));
        foreach (var neighbour in neighbours)
        {
            using var client = server.ClientWith(tokens[neighbour.Phone]);
            await (await SignAsync(client, id)).ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using (var late = await server.SignedInClientAsync("resident16", Ct))
        {
            await (await SignAsync(late, id)).ReadProblemAsync(HttpStatusCode.Conflict, "proposal-closed", Ct);
        }

        await @case.CompleteAsync("review", "reject", new JsonObject { ["reason"] = "快递柜属于商业经营设施，应由业主大会决定，不属于居民协商范围。" }, "reviewer");

        Assert.Equal("rejected", await @case.CompletedResultAsync());
        await @case.NoticeAsync("resident1", Declined);
        Assert.DoesNotContain(await @case.InboxTitlesAsync("resident2"), t => t.StartsWith(Declined, StringComparison.Ordinal));
        var reached = await ProposalOfAsync(@case);
        Assert.Equal(("reached", 10), (reached["status"]!.GetValue<string>(), reached["signatures"]!.GetValue<int>()));
    }

    [Fact]
    public async Task AProposalWithoutEnoughCosignersInThirtyDays_Lapses_AndTheProposerIsTold()
    {
        Server();
        var @case = await ProposeAsync("resident1", "楼道加装感应灯");
        await ProposalOfAsync(@case);

        _clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));

        Assert.Equal("lapsed", await @case.CompletedResultAsync());
        await @case.NoticeAsync("resident1", Declined);
        Assert.Equal("lapsed", (await ProposalOfAsync(@case))["status"]!.GetValue<string>());
        Assert.Contains("原因：征集期内联名附议的居民未达到10人。", await InboxBodyAsync("resident1", Declined), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACommitteeTopic_Deliberated_Agreed_CarriedOut_Evaluated_TellsEveryoneWhoTookPart()
    {
        Server();
        const string topic = "小区东门增设非机动车停放区";
        var @case = await CommitteeTopicAsync(topic);
        await DeliberateAsync(@case, topic);

        await @case.CompleteAsync("form-opinion", "agreed", new JsonObject { ["opinion"] = "在东门内侧划设40个停放位，避开消防通道。" }, "supervisor");
        await @case.CompleteAsync("implement", "progress", new JsonObject { ["note"] = "停放区已完成划线。" }, "supervisor");
        // Those who gave an opinion hear of progress; a neighbour who did not is not bothered.
        await @case.NoticeAsync("resident2", Progress + topic);
        Assert.DoesNotContain(await @case.InboxTitlesAsync("resident6"), t => t.StartsWith(Progress, StringComparison.Ordinal));
        await @case.CompleteAsync("implement", "done", new JsonObject { ["note"] = "充电桩已安装，停放区投入使用。" }, "supervisor");

        var evaluation = await OpenConsultationAsync(topic, "evaluation");
        using (var scorer = await _server.SignedInClientAsync("resident6", Ct))
        {
            using var scored = await scorer.PostAsJsonAsync($"/api/consultations/{evaluation}/evaluations",
                new { scores = new JsonObject { ["done-as-agreed"] = 5, ["better"] = 4, ["satisfied"] = 5 } }, Ct);
            Assert.True(scored.IsSuccessStatusCode, $"evaluation: {(int)scored.StatusCode}");
        }

        await SumUpAsync(evaluation, "平均4.7分。");
        await @case.CompleteAsync("write-feedback", "published", new JsonObject { ["feedback"] = "停放区和充电桩已投入使用，效果共评平均4.7分。" }, "supervisor");

        Assert.Equal("implemented", await @case.CompletedResultAsync());
        // Everyone who gave an opinion or a score hears what came of it; a neighbour who did neither does not.
        foreach (var resident in new[] { "resident1", "resident2", "resident6" })
        {
            await @case.NoticeAsync(resident, Feedback + topic);
        }

        Assert.DoesNotContain(await @case.InboxTitlesAsync("resident11"), t => t.StartsWith(Feedback, StringComparison.Ordinal));
        var feedback = await InboxBodyAsync("resident6", Feedback);
        Assert.Contains("协商事项已落实。", feedback, StringComparison.Ordinal);
        Assert.Contains("效果共评平均4.7分", feedback, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoConsensus_EndsTheConsultation_WithFeedback()
    {
        Server();
        const string topic = "小区内禁止饲养大型犬";
        var @case = await CommitteeTopicAsync(topic);
        await DeliberateAsync(@case, topic);

        await @case.CompleteAsync("form-opinion", "no-consensus", new JsonObject { ["opinion"] = "意见分歧较大，暂不形成决定。" }, "supervisor");
        await @case.CompleteAsync("write-feedback", "published", new JsonObject { ["feedback"] = "将先加强文明养犬宣传，半年后再议。" }, "supervisor");

        Assert.Equal("no-consensus", await @case.CompletedResultAsync());
        await @case.NoticeAsync("resident1", Feedback + topic);
    }

    [Fact]
    public async Task HandedToAResidentsVote_PassedIsCarriedOut_RejectedIsNot_CancelledIsNot()
    {
        Server();
        var passed = await CommitteeTopicAsync("增设小区东门");
        var rejected = await CommitteeTopicAsync("取消地面停车位");
        var cancelled = await CommitteeTopicAsync("更换小区物业");
        foreach (var (@case, topic) in new[] { (passed, "增设小区东门"), (rejected, "取消地面停车位"), (cancelled, "更换小区物业") })
        {
            await @case.CompleteAsync("review", "accept", userName: "reviewer");
            await @case.NoticeAsync("resident1", Notice + topic);
        }

        _clock.Advance(TimeSpan.FromDays(5) + TimeSpan.FromMinutes(1));
        var consultations = new List<string>();
        foreach (var (@case, topic) in new[] { (passed, "增设小区东门"), (rejected, "取消地面停车位"), (cancelled, "更换小区物业") })
        {
            await @case.CompleteAsync("meeting", "held", new JsonObject { ["attendees"] = 12, ["minutes"] = "分歧较大，建议交居民表决。" }, "supervisor");
            consultations.Add(await OpenConsultationAsync(topic));
        }

        await SumUpAsync(consultations, "意见不一。");
        foreach (var @case in new[] { passed, rejected, cancelled })
        {
            await @case.CompleteAsync("form-opinion", "vote", new JsonObject { ["opinion"] = "交居民会议表决。" }, "supervisor");
        }

        // The residents' assembly rule: more than half of the eight adults in c1 take part, more than half of them decide.
        var ballots = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        using (var admin = await _server.SignedInClientAsync("admin", Ct))
        {
            var children = await Eventually.UntilAsync(async () =>
            {
                using var list = await admin.GetAsync("/api/instances?definitionId=resident-vote", Ct);
                return (await list.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
            }, rows => rows.Count == 3, Patience, Ct);
            foreach (var child in children)
            {
                var ballot = await _server.BallotOfAsync(child!["id"]!.GetValue<string>(), Ct);
                // The sub-workflow's ballot is titled with the parent's topic, passed down as its input.
                ballots[ballot["title"]!.GetValue<string>() switch { "增设小区东门" => "passed", "取消地面停车位" => "rejected", _ => "cancelled" }] = ballot;
            }

            Assert.Equal("更换小区物业", ballots["cancelled"]["title"]!.GetValue<string>());
            var cancelledChild = ballots["cancelled"]["instanceId"]!.GetValue<string>();
            using var cancel = await admin.PostAsJsonAsync($"/api/instances/{cancelledChild}/cancel", new { reason = "物业合同纠纷已进入诉讼。" }, Ct);
            await cancel.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        await cancelled.CompleteAsync("write-feedback", "published", new JsonObject { ["feedback"] = "表决已取消，待诉讼结束后再议。" }, "supervisor");
        Assert.Equal("vote-cancelled", await cancelled.CompletedResultAsync());

        _clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(1));
        foreach (var voter in new[] { "resident1", "resident2", "resident6", "resident11", "resident12" })
        {
            using var client = await _server.SignedInClientAsync(voter, Ct);
            foreach (var (which, choice) in new[] { ("passed", "yes"), ("rejected", "no") })
            {
                var id = ballots[which]["id"]!.GetValue<string>();
                var cast = await Eventually.UntilAsync(async () =>
                {
                    using var vote = await client.VoteAsync(id, new { q1 = choice }, cancellationToken: Ct);
                    return vote.StatusCode;
                }, status => status == HttpStatusCode.Created, Patience, Ct);
                Assert.Equal(HttpStatusCode.Created, cast);
            }
        }

        _clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromMinutes(1));
        await rejected.CompleteAsync("write-feedback", "published", new JsonObject { ["feedback"] = "表决未通过，保留现有停车位。" }, "supervisor");
        Assert.Equal("vote-rejected", await rejected.CompletedResultAsync());
        // The ballot's electorate was told the result by the sub-workflow.
        await passed.NoticeAsync("resident16", "表决结果公告：《增设小区东门》获得通过");

        await passed.CompleteAsync("implement", "done", new JsonObject { ["note"] = "东门已开通。" }, "supervisor");
        var evaluation = await OpenConsultationAsync("增设小区东门", "evaluation");
        await SumUpAsync(evaluation, "无人评价。");
        await passed.CompleteAsync("write-feedback", "published", new JsonObject { ["feedback"] = "东门已开通。" }, "supervisor");
        Assert.Equal("implemented", await passed.CompletedResultAsync());
    }

    /// <summary>The body of the message in a user's inbox whose title starts with <paramref name="titleStart"/>.</summary>
    private async Task<string> InboxBodyAsync(string userName, string titleStart)
    {
        using var client = await _server.SignedInClientAsync(userName, Ct);
        using var response = await client.GetAsync("/api/inbox", Ct);
        var item = (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().First(n => n!["title"]!.GetValue<string>().StartsWith(titleStart, StringComparison.Ordinal))!;
        return item["body"]!.GetValue<string>();
    }
}
