using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Server.Tests.Support;
using Yishi.Testing;
using static Yishi.Server.Tests.Ballots.BallotWorkflows;

namespace Yishi.Server.Tests.Ballots;

public sealed class SqliteBallots : BallotScenario<SqliteTestDatabase>;

public sealed class PostgreSqlBallots : BallotScenario<PostgreSqlTestDatabase>;

/// <summary>Ballots from notice to result through the public API, on a clock the test moves.</summary>
public abstract class BallotScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly string[] FiveVotes = ["yes", "yes", "no", "abstain", "yes"];
    private static readonly string[] PlanAB = ["a", "b"];
    private static readonly string[] PlanABC = ["a", "b", "c"];
    private static readonly TimeZoneInfo China = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    protected (WebApplicationFactory<Program> Server, ManualClock Clock) Start()
    {
        var clock = new ManualClock();
        var server = NewServer().WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        return (server, clock);
    }

    /// <summary>The local date notice is given on, if it is given now.</summary>
    private static DateOnly Today(ManualClock clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), China).DateTime);

    private const string Secret = """
        "rule": "simple-majority", "notice": { "days": 1 }, "votingPeriod": { "days": 2 }, "allowChange": true
        """;

    [Fact]
    public async Task ASecretBallot_RunsFromNoticeToResult_WithReceiptsHiddenResultsAndTheAuditHead()
    {
        var (server, clock) = Start();
        var residents = Adults(5, 13800000001);
        await server.ImportAsync(residents, Ct);
        var instanceId = await server.StartAsync(Vote("rule-vote", Secret), "rule-vote", "v9", Ct);
        var ballot = await server.BallotOfAsync(instanceId, Ct);
        var id = ballot["id"]!.GetValue<string>();
        Assert.Equal(("notice", 5, true, true), (ballot["status"]!.GetValue<string>(), ballot["electorate"]!.GetValue<int>(), ballot["secret"]!.GetValue<bool>(),
            ballot["resultsHidden"]!.GetValue<bool>()));
        var tokens = await server.TokensByPhoneAsync([.. residents.Select(r => r.Phone)], Ct);
        using var first = server.ClientWith(tokens[residents[0].Phone]);

        // During the notice period the ballot can be read but not voted in.
        using (var early = await first.VoteAsync(id, new { q1 = "yes" }, cancellationToken: Ct))
        {
            await early.ReadProblemAsync(HttpStatusCode.Conflict, "ballot-not-open", Ct);
        }

        clock.Advance(TimeSpan.FromDays(1));
        var receipts = new List<string>();
        foreach (var (resident, choice) in residents.Zip(FiveVotes))
        {
            using var voter = server.ClientWith(tokens[resident.Phone]);
            using var cast = await voter.VoteAsync(id, new { q1 = choice }, cancellationToken: Ct);
            receipts.Add((await cast.ReadJsonAsync(HttpStatusCode.Created, Ct))["receipt"]!.GetValue<string>());
        }

        // A second vote without the receipt is refused; with the receipt it replaces the first (the setting allows it).
        using (var twice = await first.VoteAsync(id, new { q1 = "no" }, cancellationToken: Ct))
        {
            await twice.ReadProblemAsync(HttpStatusCode.Conflict, "already-voted", Ct);
        }

        using (var changed = await first.VoteAsync(id, new { q1 = "no" }, receipts[0].ToLowerInvariant(), Ct))
        {
            Assert.True((await changed.ReadJsonAsync(HttpStatusCode.OK, Ct))["changed"]!.GetValue<bool>());
        }

        using (var wrongReceipt = await first.VoteAsync(id, new { q1 = "yes" }, "0000-0000-0000", Ct))
        {
            await wrongReceipt.ReadProblemAsync(HttpStatusCode.Forbidden, "receipt-unknown", Ct);
        }

        using (var badChoice = await first.VoteAsync(id, new { q1 = "maybe" }, cancellationToken: Ct))
        {
            await badChoice.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-choices", Ct);
        }

        // Nobody sees a count while it is open, staff included.
        using var admin = await server.SignedInClientAsync("admin", Ct);
        using (var hidden = await admin.GetAsync($"/api/ballots/{id}/result", Ct))
        {
            await hidden.ReadProblemAsync(HttpStatusCode.Conflict, "results-hidden", Ct);
        }

        using (var hiddenToo = await first.GetAsync($"/api/ballots/{id}/result", Ct))
        {
            await hiddenToo.ReadProblemAsync(HttpStatusCode.Conflict, "results-hidden", Ct);
        }

        using (var turnout = await admin.GetAsync($"/api/ballots/{id}/turnout", Ct))
        {
            var body = await turnout.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.Equal((5, 5, 100.0), (body["electorate"]!.GetValue<int>(), body["online"]!.GetValue<int>(), body["percent"]!.GetValue<double>()));
        }

        using (var counted = await first.GetAsync($"/api/ballots/{id}/receipts/{receipts[2]}", Ct))
        {
            Assert.True((await counted.ReadJsonAsync(HttpStatusCode.OK, Ct))["counted"]!.GetValue<bool>());
        }

        clock.Advance(TimeSpan.FromDays(2));
        var result = await ClosedResultAsync(first, id, Ct);

        // yes 2 (the first voter changed to no), no 2, abstain 1: 2 of 5 is not more than half.
        var counts = result["result"]!["questions"]![0]!["counts"]!;
        Assert.Equal((2, 2, 1), (counts["yes"]!.GetValue<int>(), counts["no"]!.GetValue<int>(), counts["abstain"]!.GetValue<int>()));
        Assert.Equal("rejected", result["result"]!["outcome"]!.GetValue<string>());
        var head = result["auditHead"]!.GetValue<string>();
        var instance = await Eventually.UntilAsync(async () =>
        {
            using var read = await admin.GetAsync($"/api/instances/{instanceId}", Ct);
            return await read.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }, i => i["status"]!.GetValue<string>() == "Completed", TimeSpan.FromSeconds(30), Ct);
        Assert.Equal("rejected", instance["result"]!.GetValue<string>());
        using (var verified = await admin.GetAsync($"/api/audit/verify?anchor={head}", Ct))
        {
            Assert.True((await verified.ReadJsonAsync(HttpStatusCode.OK, Ct))["valid"]!.GetValue<bool>());
        }

        using (var late = await first.VoteAsync(id, new { q1 = "yes" }, receipts[0], Ct))
        {
            await late.ReadProblemAsync(HttpStatusCode.Conflict, "ballot-closed", Ct);
        }
    }

    [Fact]
    public async Task TheElectorate_IsFrozenAtNotice_AdulthoodJudgedOnThatDay()
    {
        var (server, clock) = Start();
        var today = Today(clock);
        var adult = new Resident("成年", "13800001001", "v9-g1", today.AddYears(-18));
        var minor = new Resident("未成年", "13800001002", "v9-g1", today.AddYears(-18).AddDays(1));
        var unverified = new Resident("未核验", "13800001003", "v9-g2", new DateOnly(1980, 5, 5), Verified: false);
        var elsewhere = new Resident("外社区", "13800001004", "c2-g1", new DateOnly(1980, 5, 5));
        var mover = new Resident("搬走", "13800001005", "v9-g1", new DateOnly(1975, 3, 3));
        var latecomer = new Resident("后登记", "13800001006", "v9-g1", new DateOnly(1990, 1, 1));
        await server.ImportAsync([adult, minor, unverified, elsewhere, mover], Ct);
        var instanceId = await server.StartAsync(Vote("freeze", Secret), "freeze", "v9", Ct);
        var ballot = await server.BallotOfAsync(instanceId, Ct);
        var id = ballot["id"]!.GetValue<string>();
        Assert.Equal(3, ballot["electorate"]!.GetValue<int>());
        Assert.Equal(today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ballot["frozenOn"]!.GetValue<string>());

        // After the notice: one registers, one moves to another community. Neither changes the roll.
        await server.ImportAsync([latecomer, mover with { OrgUnit = "c2-g1" }], Ct);
        clock.Advance(TimeSpan.FromDays(1));
        var tokens = await server.TokensByPhoneAsync([adult.Phone, minor.Phone, unverified.Phone, elsewhere.Phone, mover.Phone, latecomer.Phone], Ct);

        async Task<HttpResponseMessage> Cast(Resident who)
        {
            using var client = server.ClientWith(tokens[who.Phone]);
            return await client.VoteAsync(id, new { q1 = "yes" }, cancellationToken: Ct);
        }

        using (var ok = await Cast(adult))
        {
            await ok.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using (var movedAway = await Cast(mover))
        {
            await movedAway.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using (var notYet18 = await Cast(minor))
        {
            await notYet18.ReadProblemAsync(HttpStatusCode.NotFound, "ballot-not-found", Ct);
        }

        using (var late = await Cast(latecomer))
        {
            await late.ReadProblemAsync(HttpStatusCode.NotFound, "ballot-not-found", Ct);
        }

        using (var other = await Cast(elsewhere))
        {
            await other.ReadProblemAsync(HttpStatusCode.NotFound, "ballot-not-found", Ct);
        }

        using (var onPaperOnly = await Cast(unverified))
        {
            await onPaperOnly.ReadProblemAsync(HttpStatusCode.Forbidden, "unverified", Ct);
        }

        using var admin = await server.SignedInClientAsync("admin", Ct);
        using var roll = await admin.GetAsync($"/api/ballots/{id}/electorate", Ct);
        var rows = (await roll.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        Assert.Equal(3, rows.Count);
        Assert.All(rows, r => Assert.Contains("*", r!["name"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.All(rows, r => Assert.Matches(@"^\d{3}\*{4}\d{4}$", r!["phone"]!.GetValue<string>()));
        Assert.Equal(2, rows.Count(r => r!["voted"]?.GetValue<string>() == "online"));
    }

    [Fact]
    public async Task InHouseholdMode_OneVotePerHousehold_ByItsRepresentative()
    {
        var (server, clock) = Start();
        var head = new Resident("户主", "13800002001", "v9-g1", new DateOnly(1970, 1, 1), "东坪一组1号", HouseholdRepresentative: true);
        var spouse = new Resident("配偶", "13800002002", "v9-g1", new DateOnly(1971, 1, 1), "东坪一组1号");
        var a = new Resident("甲", "13800002003", "v9-g1", new DateOnly(1980, 1, 1), "东坪一组2号");
        var b = new Resident("乙", "13800002004", "v9-g1", new DateOnly(1982, 1, 1), "东坪一组2号");
        await server.ImportAsync([head, spouse, a, b], Ct);
        var instanceId = await server.StartAsync(Vote("households", """
            "rule": "villagers-assembly", "mode": "household", "notice": { "days": 10 }, "votingPeriod": { "days": 1 }
            """), "households", "v9", Ct);
        var ballot = await server.BallotOfAsync(instanceId, Ct);
        var id = ballot["id"]!.GetValue<string>();
        Assert.Equal(2, ballot["electorate"]!.GetValue<int>());
        clock.Advance(TimeSpan.FromDays(10));
        var tokens = await server.TokensByPhoneAsync([head.Phone, spouse.Phone, a.Phone, b.Phone], Ct);

        // The first household named its representative: only they vote for it.
        using (var notTheRepresentative = await server.ClientWith(tokens[spouse.Phone]).VoteAsync(id, new { q1 = "no" }, cancellationToken: Ct))
        {
            await notTheRepresentative.ReadProblemAsync(HttpStatusCode.NotFound, "ballot-not-found", Ct);
        }

        using (var representative = await server.ClientWith(tokens[head.Phone]).VoteAsync(id, new { q1 = "yes" }, cancellationToken: Ct))
        {
            await representative.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        // The second named none: either adult member may vote for it, once.
        using (var firstMember = await server.ClientWith(tokens[a.Phone]).VoteAsync(id, new { q1 = "yes" }, cancellationToken: Ct))
        {
            await firstMember.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using (var secondMember = await server.ClientWith(tokens[b.Phone]).VoteAsync(id, new { q1 = "no" }, cancellationToken: Ct))
        {
            var problem = await secondMember.ReadProblemAsync(HttpStatusCode.Conflict, "already-voted", Ct);
            Assert.Contains("household", problem["title"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        // Early close is off: the ballot stays open until its time, then counts 2 of 2 households.
        clock.Advance(TimeSpan.FromDays(1));
        using var admin = await server.SignedInClientAsync("admin", Ct);
        var result = await ClosedResultAsync(admin, id, Ct);
        Assert.Equal(("passed", 2, 2), (result["result"]!["outcome"]!.GetValue<string>(), result["result"]!["attendees"]!.GetValue<int>(),
            result["result"]!["questions"]![0]!["counts"]!["yes"]!.GetValue<int>()));
    }

    [Fact]
    public async Task PaperBallots_NeedASecondOfficer_AndBarTheOnlineVote()
    {
        var (server, clock) = Start();
        var online = new Resident("网投", "13800003001", "v9-g1", new DateOnly(1970, 1, 1));
        var paper = new Resident("纸投", "13800003002", "v9-g1", new DateOnly(1950, 1, 1), Verified: false);
        var paper2 = new Resident("纸投二", "13800003003", "v9-g2", new DateOnly(1951, 1, 1));
        await server.ImportAsync([online, paper, paper2], Ct);
        var instanceId = await server.StartAsync(Vote("paper", """
            "rule": "residents-assembly", "notice": { "days": 1 }, "votingPeriod": { "days": 1 }, "earlyClose": true
            """), "paper", "v9", Ct);
        var id = (await server.BallotOfAsync(instanceId, Ct))["id"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromDays(1));
        var tokens = await server.TokensByPhoneAsync([online.Phone, paper.Phone, paper2.Phone], Ct);
        var ids = await ResidentIdsAsync(server, Ct);
        await server.CreateOfficerAsync("officer1", Ct);
        using var officer = await server.SignedInClientAsync("officer1", Ct);
        await server.CreateOfficerAsync("officer2", Ct);
        using var officer2 = await server.SignedInClientAsync("officer2", Ct);

        using (var cast = await server.ClientWith(tokens[online.Phone]).VoteAsync(id, new { q1 = "yes" }, cancellationToken: Ct))
        {
            await cast.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        // Voted online: cannot vote on paper too. The unverified resident votes on paper, then cannot vote online.
        using (var both = await officer.PostAsJsonAsync($"/api/ballots/{id}/paper/voters", new { userId = ids[online.Phone] }, Ct))
        {
            await both.ReadProblemAsync(HttpStatusCode.Conflict, "already-voted", Ct);
        }

        foreach (var who in new[] { paper, paper2 })
        {
            using var marked = await officer.PostAsJsonAsync($"/api/ballots/{id}/paper/voters", new { userId = ids[who.Phone] }, Ct);
            await marked.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        using (var thenOnline = await server.ClientWith(tokens[paper2.Phone]).VoteAsync(id, new { q1 = "no" }, cancellationToken: Ct))
        {
            await thenOnline.ReadProblemAsync(HttpStatusCode.Conflict, "already-voted", Ct);
        }

        // Three papers for two paper voters: entered, but the confirmation refuses them.
        using (var tooMany = await officer.PostAsJsonAsync($"/api/ballots/{id}/paper/batches", new { ballots = new[] { new { q1 = "no" }, new { q1 = "no" }, new { q1 = "no" } } }, Ct))
        {
            var batch = (await tooMany.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
            using var refused = await officer2.PostAsync($"/api/ballots/{id}/paper/batches/{batch}/confirm", null, Ct);
            await refused.ReadProblemAsync(HttpStatusCode.Conflict, "too-many-paper-ballots", Ct);
            using var rejected = await officer2.PostAsync($"/api/ballots/{id}/paper/batches/{batch}/reject", null, Ct);
            await rejected.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        using var entered = await officer.PostAsJsonAsync($"/api/ballots/{id}/paper/batches", new { ballots = new[] { new { q1 = "no" }, new { q1 = "no" } } }, Ct);
        var batchId = (await entered.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
        using (var self = await officer.PostAsync($"/api/ballots/{id}/paper/batches/{batchId}/confirm", null, Ct))
        {
            await self.ReadProblemAsync(HttpStatusCode.Conflict, "same-officer", Ct);
        }

        // Everyone has voted, but two paper ballots are not counted yet: early close waits for them.
        using var admin = await server.SignedInClientAsync("admin", Ct);
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);
        using (var stillOpen = await admin.GetAsync($"/api/ballots/{id}", Ct))
        {
            Assert.Equal("open", (await stillOpen.ReadJsonAsync(HttpStatusCode.OK, Ct))["status"]!.GetValue<string>());
        }

        using (var confirmed = await officer2.PostAsync($"/api/ballots/{id}/paper/batches/{batchId}/confirm", null, Ct))
        {
            Assert.Equal("confirmed", (await confirmed.ReadJsonAsync(HttpStatusCode.OK, Ct))["status"]!.GetValue<string>());
        }

        // Now every vote is in: it closes before its time.
        var result = await ClosedResultAsync(admin, id, Ct);
        Assert.True(result["result"]!["early"]!.GetValue<bool>());
        var counts = result["result"]!["questions"]![0]!["counts"]!;
        Assert.Equal((1, 2, "rejected"), (counts["yes"]!.GetValue<int>(), counts["no"]!.GetValue<int>(), result["result"]!["outcome"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AnOpenBallot_ShowsALiveCount_AndAChangedVoteKeepsItsHistory()
    {
        var (server, clock) = Start();
        var residents = Adults(3, 13800004001);
        await server.ImportAsync(residents, Ct);
        var instanceId = await server.StartAsync(Vote("open", """
            "rule": "two-thirds", "notice": { "days": 1 }, "votingPeriod": { "days": 1 }, "secret": false, "resultsHidden": false, "allowChange": true,
            "questions": [ { "id": "plan", "text": "选哪个方案", "options": [ "a", "b", "c" ], "maxChoices": 2 } ]
            """), "open", "v9", Ct);
        var id = (await server.BallotOfAsync(instanceId, Ct))["id"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromDays(1));
        var tokens = await server.TokensByPhoneAsync([.. residents.Select(r => r.Phone)], Ct);
        using var first = server.ClientWith(tokens[residents[0].Phone]);
        (await first.VoteAsync(id, new { plan = PlanAB }, cancellationToken: Ct)).Dispose();
        (await server.ClientWith(tokens[residents[1].Phone]).VoteAsync(id, new { plan = "a" }, cancellationToken: Ct)).Dispose();
        using (var tooMany = await first.VoteAsync(id, new { plan = PlanABC }, cancellationToken: Ct))
        {
            await tooMany.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-choices", Ct);
        }

        // Voting again on an open ballot replaces the vote.
        using (var again = await first.VoteAsync(id, new { plan = "c" }, cancellationToken: Ct))
        {
            Assert.True((await again.ReadJsonAsync(HttpStatusCode.OK, Ct))["changed"]!.GetValue<bool>());
        }

        using var live = await first.GetAsync($"/api/ballots/{id}/result", Ct);
        var body = await live.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.True(body["provisional"]!.GetValue<bool>());
        var counts = body["result"]!["questions"]![0]!["counts"]!;
        Assert.Equal((1, 0, 1), (counts["a"]!.GetValue<int>(), counts["b"]!.GetValue<int>(), counts["c"]!.GetValue<int>()));
        Assert.Equal(1, await VoteChangesAsync(server, id));
    }

    private static async Task<int> VoteChangesAsync(WebApplicationFactory<Program> server, string ballotId)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.ServerDbContext>();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.CountAsync(db.BallotVoteChanges, c => c.BallotId == ballotId, Ct);
    }

    private static async Task<Dictionary<string, string>> ResidentIdsAsync(WebApplicationFactory<Program> server, CancellationToken cancellationToken)
    {
        using var scope = server.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<Data.ServerDbContext>();
        return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToDictionaryAsync(db.Users.Where(u => u.PhoneNumber != null),
            u => u.PhoneNumber!, u => u.Id, cancellationToken);
    }

    [Fact]
    public async Task RemindersReachOnlyThoseWhoHaveNotVoted_AndTheResultNoticeReachesTheElectorate_WithTheAuditHead()
    {
        Notifications.NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        var (server, clock) = Start();
        var residents = Adults(3, 13800005001);
        await server.ImportAsync(residents, Ct);
        var instanceId = await server.StartAsync(VoteWithNotice("noticed"), "noticed", "v9", Ct, new System.Text.Json.Nodes.JsonObject { ["ballot_title"] = "西坪村村规民约" });
        var id = (await server.BallotOfAsync(instanceId, Ct))["id"]!.GetValue<string>();
        clock.Advance(TimeSpan.FromDays(1));
        var tokens = await server.TokensByPhoneAsync([.. residents.Select(r => r.Phone)], Ct);
        using (var cast = await server.ClientWith(tokens[residents[0].Phone]).VoteAsync(id, new { q1 = "yes" }, cancellationToken: Ct))
        {
            await cast.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using var admin = await server.SignedInClientAsync("admin", Ct);
        using (var remind = await admin.PostAsync($"/api/ballots/{id}/reminders", null, Ct))
        {
            Assert.Equal(2, (await remind.ReadJsonAsync(HttpStatusCode.Accepted, Ct))["notYetVoted"]!.GetValue<int>());
        }

        async Task<List<string>> InboxAsync(string phone)
        {
            using var client = server.ClientWith(tokens[phone]);
            using var inbox = await client.GetAsync("/api/inbox", Ct);
            return [.. (await inbox.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Select(m => m!["title"]!.GetValue<string>() + "\n" + m["body"]!.GetValue<string>())];
        }

        foreach (var waiting in residents.Skip(1))
        {
            var messages = await Eventually.UntilAsync(() => InboxAsync(waiting.Phone), m => m.Count > 0, TimeSpan.FromSeconds(30), Ct);
            Assert.Contains("西坪村村规民约", Assert.Single(messages), StringComparison.Ordinal);
        }

        Assert.Empty(await InboxAsync(residents[0].Phone));

        clock.Advance(TimeSpan.FromDays(2));
        var head = (await ClosedResultAsync(admin, id, Ct))["auditHead"]!.GetValue<string>();
        foreach (var resident in residents)
        {
            var messages = await Eventually.UntilAsync(() => InboxAsync(resident.Phone), m => m.Any(x => x.Contains(head, StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), Ct);
            Assert.Contains(messages, m => m.StartsWith("表决结果公告", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task AVillagersAssembly_WithLessThanTenDaysNotice_IsRefusedWhenPublished()
    {
        var (server, _) = Start();
        using var staff = await server.SignedInClientAsync("staff", Ct);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(Vote("short-notice", """
            "rule": "villagers-assembly", "notice": { "days": 9 }, "votingPeriod": { "days": 1 }
            """)), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using var published = await staff.PostAsync("/api/definitions/short-notice/publish", null, Ct);
        var problem = await published.ReadJsonAsync(HttpStatusCode.UnprocessableEntity, Ct);
        var error = problem["problems"]!.AsArray().Single(p => p!["property"]?.GetValue<string>() == "notice")!;
        Assert.Equal("vote", error["activityId"]!.GetValue<string>());
        Assert.Contains("10", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
