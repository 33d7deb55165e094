using System.Text.Json.Nodes;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Outbox;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Ballots;

/// <summary>
/// Running a Ballot gives notice (发布公告): one outbox row for the host, which freezes the electorate, opens voting when
/// the notice ends and closes it; the case waits on one bookmark named by that row until the host resumes it with the
/// outcome (通过 / 未通过 / 人数不足).
/// </summary>
public sealed class BallotActivityTests
{
    private static string Workflow(string ballotProperties) => $$"""
        {
          "definitionId": "road-vote",
          "name": "村道硬化表决",
          "variables": [ { "name": "tally", "type": "object" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "vote", "type": "Ballot", "properties": {{ballotProperties}} },
            { "id": "carried", "type": "End", "properties": { "result": "\"通过\"" } },
            { "id": "defeated", "type": "End", "properties": { "result": "\"未通过\"" } },
            { "id": "inquorate", "type": "End", "properties": { "result": "\"人数不足\"" } }
          ],
          "connections": [
            { "from": "start", "to": "vote" },
            { "from": "vote", "outcome": "passed", "to": "carried" },
            { "from": "vote", "outcome": "rejected", "to": "defeated" },
            { "from": "vote", "outcome": "no_quorum", "to": "inquorate" }
          ]
        }
        """;

    private const string VillagersAssembly = """
        { "title": "村道硬化方案", "rule": "villagers-assembly", "notice": { "days": 10 }, "votingPeriod": { "days": 3 }, "variable": "tally" }
        """;

    private static async Task<StepResult> StartAsync(TestEngine engine, string ballotProperties = VillagersAssembly)
    {
        await engine.PublishAsync(Workflow(ballotProperties));
        return await engine.StartAsync("road-vote");
    }

    private static async Task<OutboxMessage> BallotRowAsync(TestEngine engine) =>
        Assert.Single(await engine.Store.ReadOutboxAsync(10, OutboxKinds.Ballot, TestEngine.Cancellation));

    [Fact]
    public async Task Execute_WaitsOnOneBallotBookmark_DueWhenVotingCloses_NamedByTheOutboxRow()
    {
        await using var engine = new TestEngine();
        var started = await StartAsync(engine);

        var row = await BallotRowAsync(engine);
        var bookmark = Assert.Single(started.Bookmarks);
        Assert.Equal("engine.ballot", OutboxKinds.Ballot);
        Assert.Equal(InstanceStatus.Waiting, started.InstanceStatus);
        Assert.Equal((BookmarkKind.Ballot, "vote", "Ballot"), (bookmark.Kind, bookmark.ActivityId, bookmark.ActivityType));
        // Ten days' notice, then three days of voting: 13 days after the notice is given.
        Assert.Equal(new DateTimeOffset(2025, 3, 20, 2, 0, 0, TimeSpan.Zero), bookmark.DueAt);
        Assert.Equal(TestEngine.Epoch.AddDays(13), bookmark.DueAt);
        Assert.Equal(row.Id, bookmark.CorrelationKey);
        Assert.Equal(started.InstanceId, row.InstanceId);
        Assert.Equal(row.Id, bookmark.Payload!["ballotId"]!.GetValue<string>());
        Assert.Equal(TestEngine.Epoch.AddDays(10), bookmark.Payload["opensAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(TestEngine.Epoch.AddDays(13), bookmark.Payload["closesAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("村道硬化方案", bookmark.Payload["title"]!.GetValue<string>());
        Assert.Single(await engine.OpenBookmarksAsync(started.InstanceId!));
    }

    [Fact]
    public async Task Execute_TheOutboxRow_CarriesWhatTheHostNeeds_WithSecretAndHiddenResultsByDefault()
    {
        await using var engine = new TestEngine();
        var started = await StartAsync(engine);

        var payload = (await BallotRowAsync(engine)).Payload;

        Assert.Equal(TestEngine.Epoch, payload["noticeAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2025, 3, 17, 2, 0, 0, TimeSpan.Zero), payload["opensAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2025, 3, 20, 2, 0, 0, TimeSpan.Zero), payload["closesAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal("villagers-assembly", payload["rule"]!.GetValue<string>());
        Assert.Equal("person", payload["mode"]!.GetValue<string>());
        Assert.True(payload["secret"]!.GetValue<bool>());
        Assert.True(payload["resultsHidden"]!.GetValue<bool>());
        Assert.False(payload["allowChange"]!.GetValue<bool>());
        Assert.False(payload["earlyClose"]!.GetValue<bool>());
        Assert.Equal("tally", payload["variable"]!.GetValue<string>());
        Assert.Equal("vote", payload["activityId"]!.GetValue<string>());
        Assert.Equal("road-vote", payload["definitionId"]!.GetValue<string>());
        Assert.Equal("村道硬化方案", payload["title"]!.GetValue<string>());
        Assert.Null(payload["customQuorum"]);
        Assert.Null(payload["customDecision"]);
        // Without questions: one motion on the title itself, for, against or abstain.
        Assert.Equal(BallotJson.Compact("""
            [ { "id": "q1", "text": "村道硬化方案",
                "options": [ { "id": "yes", "text": null }, { "id": "no", "text": null }, { "id": "abstain", "text": null } ], "maxChoices": 1 } ]
            """), BallotJson.Text(payload["questions"]));
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(started.InstanceId!));
    }

    [Fact]
    public async Task Execute_WithQuestionsAndWorkingDays_CarriesThemAndCountsByTheCalendar()
    {
        await using var engine = new TestEngine();
        await StartAsync(engine, """
            { "title": { "zh-CN": "2025年一事一议", "en": "Village projects 2025" }, "rule": "residents-assembly", "mode": "household",
              "notice": { "workingDays": 10 }, "votingPeriod": { "workingDays": 2 }, "secret": false, "resultsHidden": false, "allowChange": true, "earlyClose": true,
              "orgUnit": "village-3",
              "questions": [ { "id": "road", "text": "村道硬化" },
                             { "id": "members", "text": "选举监委会成员", "options": [ "zhang", { "id": "li", "text": "李四" }, "wang" ], "maxChoices": 2 } ] }
            """);

        var payload = (await BallotRowAsync(engine)).Payload;

        // Friday 7 March, 10:00 in China: ten working days later is Friday 21 March, two more is Tuesday 25 March.
        Assert.Equal(new DateTimeOffset(2025, 3, 21, 2, 0, 0, TimeSpan.Zero), payload["opensAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(new DateTimeOffset(2025, 3, 25, 2, 0, 0, TimeSpan.Zero), payload["closesAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(("household", "residents-assembly", "village-3"),
            (payload["mode"]!.GetValue<string>(), payload["rule"]!.GetValue<string>(), payload["orgUnit"]!.GetValue<string>()));
        Assert.Equal((false, false, true, true), (payload["secret"]!.GetValue<bool>(), payload["resultsHidden"]!.GetValue<bool>(),
            payload["allowChange"]!.GetValue<bool>(), payload["earlyClose"]!.GetValue<bool>()));
        Assert.Equal(BallotJson.Compact("""
            [ { "id": "road", "text": "村道硬化",
                "options": [ { "id": "yes", "text": null }, { "id": "no", "text": null }, { "id": "abstain", "text": null } ], "maxChoices": 1 },
              { "id": "members", "text": "选举监委会成员",
                "options": [ { "id": "zhang", "text": null }, { "id": "li", "text": "李四" }, { "id": "wang", "text": null } ], "maxChoices": 2 } ]
            """), BallotJson.Text(payload["questions"]));
        Assert.Equal(BallotJson.Compact("""{ "zh-CN": "2025年一事一议", "en": "Village projects 2025" }"""), BallotJson.Text(payload["title"]));
    }

    [Fact]
    public async Task Execute_ACustomRule_CarriesItsExpressions()
    {
        await using var engine = new TestEngine();
        await StartAsync(engine, """
            { "title": "t", "rule": "custom", "customQuorum": "attendees * 2 > electorate", "customDecision": "yes * 3 >= attendees * 2",
              "notice": "PT12H", "votingPeriod": { "hours": 6 } }
            """);

        var payload = (await BallotRowAsync(engine)).Payload;

        Assert.Equal(("custom", "attendees * 2 > electorate", "yes * 3 >= attendees * 2"),
            (payload["rule"]!.GetValue<string>(), payload["customQuorum"]!.GetValue<string>(), payload["customDecision"]!.GetValue<string>()));
        Assert.Equal(TestEngine.Epoch.AddHours(12), payload["opensAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(TestEngine.Epoch.AddHours(18), payload["closesAt"]!.GetValue<DateTimeOffset>());
        Assert.Null(payload["variable"]);
    }

    [Theory]
    [InlineData("passed", "通过", "carried")]
    [InlineData("rejected", "未通过", "defeated")]
    [InlineData("no_quorum", "人数不足", "inquorate")]
    public async Task Resume_ByTheSystemWithTheOutcome_FollowsThatConnection_AndStoresTheResult(string outcome, string result, string end)
    {
        await using var engine = new TestEngine();
        var started = await StartAsync(engine);
        var bookmark = Assert.Single(started.Bookmarks);
        var data = new JsonObject { ["outcome"] = outcome, ["electorate"] = 120, ["attendees"] = 61, ["turnout"] = 50.8, ["audit_head"] = "9f2c…" };

        var resumed = await engine.CompleteAsync(bookmark.Id, outcome, data, Actor.System);

        Assert.Equal(InstanceStatus.Completed, resumed.InstanceStatus);
        Assert.Equal(result, resumed.Result!.GetValue<string>());
        var instance = await engine.InstanceAsync(started.InstanceId!);
        var expected = """{"outcome":"OUTCOME","electorate":120,"attendees":61,"turnout":50.8,"audit_head":"9f2c…"}""".Replace("OUTCOME", outcome, StringComparison.Ordinal);
        Assert.Equal(expected, BallotJson.Text(instance.State.Activities["vote"]));
        // The variable holds the count with the dates of the notice, for the documents that follow.
        var tally = instance.State.Variables["tally"]!.AsObject();
        Assert.Equal(("closed", outcome, 61), (tally["status"]!.GetValue<string>(), tally["outcome"]!.GetValue<string>(), tally["attendees"]!.GetValue<int>()));
        Assert.Equal((TestEngine.Epoch, TestEngine.Epoch.AddDays(10), TestEngine.Epoch.AddDays(13)),
            (tally["noticeAt"]!.GetValue<DateTimeOffset>(), tally["opensAt"]!.GetValue<DateTimeOffset>(), tally["closesAt"]!.GetValue<DateTimeOffset>()));
        var journal = await engine.JournalAsync(started.InstanceId!);
        Assert.Contains(journal, e => e.ActivityId == end);
        Assert.DoesNotContain(journal, e => e.ActivityId is { } id && id != end && id is "carried" or "defeated" or "inquorate");
        Assert.Empty(await engine.OpenBookmarksAsync(started.InstanceId!));
    }

    [Fact]
    public async Task Resume_RejectedWithoutAVariable_StillLeavesByRejected()
    {
        await using var engine = new TestEngine();
        var started = await StartAsync(engine, """{ "title": "t", "rule": "simple-majority", "notice": { "days": 1 }, "votingPeriod": { "days": 1 } }""");

        var resumed = await engine.CompleteAsync(Assert.Single(started.Bookmarks).Id, "rejected", new JsonObject { ["attendees"] = 3 });

        Assert.Equal("未通过", resumed.Result!.GetValue<string>());
        var instance = await engine.InstanceAsync(started.InstanceId!);
        Assert.Null(instance.State.Variables["tally"]);
        Assert.Equal(3, instance.State.Activities["vote"]!["attendees"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("approved")]
    [InlineData("Passed")]
    [InlineData("done")]
    [InlineData("")]
    [InlineData(null)]
    public async Task Resume_WithAnOutcomeThatIsNotAPort_IsInvalidInput(string? outcome)
    {
        await using var engine = new TestEngine();
        var started = await StartAsync(engine);
        var bookmark = Assert.Single(started.Bookmarks);

        var refused = await engine.ResumeAsync(bookmark.Id, outcome, new JsonObject { ["attendees"] = 99 }, Actor.System);

        Assert.Equal(StepStatus.InvalidInput, refused.Status);
        Assert.Contains(refused.Problems, p => p.Property == "outcome");
        // Nothing was written: the case still waits on the same ballot.
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(started.InstanceId!));
        Assert.Equal(bookmark.Id, Assert.Single(await engine.OpenBookmarksAsync(started.InstanceId!)).Id);
        Assert.Equal("notice", (await engine.InstanceAsync(started.InstanceId!)).State.Variables["tally"]!["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_WithAVariable_PutsTheBallotsIdAndDatesInIt_ForAStepBesideTheWaitingBallot()
    {
        await using var engine = new TestEngine();
        var started = await StartAsync(engine);

        var row = await BallotRowAsync(engine);
        var tally = (await engine.InstanceAsync(started.InstanceId!)).State.Variables["tally"]!.AsObject();

        Assert.Equal(("notice", row.Id), (tally["status"]!.GetValue<string>(), tally["ballotId"]!.GetValue<string>()));
        Assert.Equal((TestEngine.Epoch, TestEngine.Epoch.AddDays(10), TestEngine.Epoch.AddDays(13)),
            (tally["noticeAt"]!.GetValue<DateTimeOffset>(), tally["opensAt"]!.GetValue<DateTimeOffset>(), tally["closesAt"]!.GetValue<DateTimeOffset>()));
    }

    [Fact]
    public async Task Resume_ByAPerson_IsForbidden_EvenTheClerk()
    {
        await using var engine = new TestEngine();
        var started = await StartAsync(engine);

        var refused = await engine.ResumeAsync(Assert.Single(started.Bookmarks).Id, "passed", new JsonObject(), Actor.User("clerk-1", "clerk"));

        Assert.Equal(StepStatus.Forbidden, refused.Status);
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(started.InstanceId!));
    }

    [Fact]
    public async Task ClosingTimePassing_DoesNotMoveTheCase_OnlyTheHostsCountDoes()
    {
        await using var engine = new TestEngine();
        var started = await StartAsync(engine);
        engine.Clock.Advance(TimeSpan.FromDays(30));

        var sweep = await engine.Runtime.FireDueTimersAsync(cancellationToken: TestEngine.Cancellation);

        Assert.Empty(sweep.Fired);
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(started.InstanceId!));
        Assert.Equal(BookmarkKind.Ballot, Assert.Single(await engine.OpenBookmarksAsync(started.InstanceId!)).Kind);
    }

    [Fact]
    public async Task TwoCases_GetTwoBallots()
    {
        await using var engine = new TestEngine();
        var first = await StartAsync(engine);

        var second = await engine.StartAsync("road-vote");

        var rows = await engine.Store.ReadOutboxAsync(10, OutboxKinds.Ballot, TestEngine.Cancellation);
        Assert.Equal(2, rows.Count);
        Assert.NotEqual(rows[0].Id, rows[1].Id);
        Assert.Equal(rows.Select(r => r.Id).Order(StringComparer.Ordinal),
            new[] { first, second }.Select(s => Assert.Single(s.Bookmarks).CorrelationKey!).Order(StringComparer.Ordinal));
    }
}
