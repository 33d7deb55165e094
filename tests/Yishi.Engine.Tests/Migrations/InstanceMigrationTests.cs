using System.Collections.Immutable;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Migrations;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;
using static Yishi.Engine.Tests.Migrations.MigrationWorkflows;

namespace Yishi.Engine.Tests.Migrations;

/// <summary>Moving open cases to a newer version: where they stand afterwards, what they lose, and that nothing runs twice.</summary>
public sealed class InstanceMigrationTests
{
    private static readonly Actor Designer = Actor.User("u-designer", "designer");

    private static readonly ImmutableDictionary<string, string> NoMap = ImmutableDictionary<string, string>.Empty;

    private static MigrationRequest To(int version, IReadOnlyDictionary<string, string>? map = null, string definitionId = "complaint") =>
        new(definitionId, version, map ?? NoMap);

    /// <summary>A complaint on v1 whose intake is done and whose review task is open.</summary>
    private static async Task<(string InstanceId, string ReviewTaskId)> CaseAtReviewAsync(TestEngine engine)
    {
        var started = await engine.StartAsync("complaint", Json.Object("""{ "caseTitle": "楼上漏水" }"""));
        var review = await engine.CompleteAsync(Assert.Single(started.Bookmarks).Id);
        return (started.InstanceId!, Assert.Single(review.Bookmarks).Id);
    }

    [Fact]
    public async Task Migrate_SameIds_WaitingTaskKeepsIdAndDeadline_AndContinuesOnTheNewPath()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Complaint("v1"));
        var (instanceId, taskId) = await CaseAtReviewAsync(engine);
        var before = await engine.Store.FindBookmarkAsync(taskId, TestEngine.Cancellation);
        await engine.PublishAsync(Complaint("v2", withSign: true));
        engine.Clock.Advance(TimeSpan.FromHours(2));

        var plan = await engine.Runtime.PlanMigrationAsync(To(2), instanceId, Designer, TestEngine.Cancellation);
        var result = await engine.Runtime.MigrateAsync(To(2), instanceId, Designer, TestEngine.Cancellation);

        Assert.NotNull(plan);
        Assert.True(plan.CanMigrate);
        var standsAt = Assert.Single(plan.StandsAt);
        Assert.Equal(("review", "review", "HumanTask", WaitKind.Task, taskId, before!.DueAt), (standsAt.From, standsAt.To, standsAt.Type, standsAt.Wait, standsAt.BookmarkId, standsAt.DueAt));
        Assert.Equal("审查", standsAt.Name.Get());
        Assert.Equal(MigrationStatus.Migrated, result.Status);
        var migrated = await engine.InstanceAsync(instanceId);
        Assert.Equal(2, migrated.DefinitionVersion);
        Assert.Equal(InstanceStatus.Waiting, migrated.Status);
        var task = await engine.OpenBookmarkAsync(instanceId, "review");
        Assert.Equal((taskId, before.DueAt, before.CreatedAt, before.Role), (task.Id, task.DueAt, task.CreatedAt, task.Role));
        Assert.Equal(Json.Text(before.Payload), Json.Text(task.Payload));

        var accepted = await engine.CompleteAsync(taskId, "accept");
        var signed = await engine.CompleteAsync(Assert.Single(accepted.Bookmarks, b => b.ActivityId == "sign").Id);

        Assert.Equal("v2:accept", signed.Result!.GetValue<string>());
        var journal = await engine.JournalAsync(instanceId);
        var entry = Assert.Single(journal, e => e.Kind == JournalKind.InstanceMigrated);
        Assert.Equal(("u-designer", 1, 2), (entry.ActorId, entry.Data!["fromVersion"]!.GetValue<int>(), entry.Data["toVersion"]!.GetValue<int>()));
        Assert.Equal(TestEngine.Epoch.AddHours(2), entry.At);
        Assert.Single(journal, e => e.Kind == JournalKind.ActivityCompleted && e.ActivityId == "intake");
        Assert.Single(journal, e => e.Kind == JournalKind.BookmarkCreated && e.ActivityId == "intake");
        Assert.Single(journal, e => e.Kind == JournalKind.BookmarkCreated && e.ActivityId == "review");
        Assert.Equal(Enumerable.Range(0, journal.Count).Select(i => (long)i), journal.Select(e => e.Sequence));
    }

    [Fact]
    public async Task Migrate_RenamedActivity_WithoutMap_IsRefusedAndLeavesTheCaseAlone()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Complaint("v1"));
        var (instanceId, _) = await CaseAtReviewAsync(engine);
        await engine.PublishAsync(Complaint("v2", reviewId: "mediate"));

        var result = await engine.Runtime.MigrateAsync(To(2), instanceId, Designer, TestEngine.Cancellation);

        Assert.Equal(MigrationStatus.Refused, result.Status);
        var problem = Assert.Single(result.Plan!.Problems);
        Assert.Equal((MigrationCodes.ActivityRemoved, "review"), (problem.Code, problem.ActivityId));
        var instance = await engine.InstanceAsync(instanceId);
        Assert.Equal((1, 2L), (instance.DefinitionVersion, instance.Version));
        Assert.DoesNotContain(await engine.JournalAsync(instanceId), e => e.Kind == JournalKind.InstanceMigrated);
        Assert.Equal("review", (await engine.OpenBookmarkAsync(instanceId, "review")).ActivityId);
    }

    [Fact]
    public async Task Migrate_RenamedActivity_WithMap_RepointsTheTaskAndItsOutputs()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Complaint("v1"));
        var (instanceId, taskId) = await CaseAtReviewAsync(engine);
        await engine.PublishAsync(Complaint("v2", reviewId: "mediate"));
        var map = new Dictionary<string, string> { ["review"] = "mediate" };

        var result = await engine.Runtime.MigrateAsync(To(2, map), instanceId, Designer, TestEngine.Cancellation);

        Assert.Equal(MigrationStatus.Migrated, result.Status);
        var standsAt = Assert.Single(result.Plan!.StandsAt);
        Assert.Equal(("review", "mediate"), (standsAt.From, standsAt.To));
        Assert.Equal("mediate", (await engine.Store.FindBookmarkAsync(taskId, TestEngine.Cancellation))!.ActivityId);
        var entry = Assert.Single(await engine.JournalAsync(instanceId), e => e.Kind == JournalKind.InstanceMigrated);
        Assert.Equal("""{"review":"mediate"}""", Json.Text(entry.Data!["map"]));
        var done = await engine.CompleteAsync(taskId, "reject");
        Assert.Equal("v2:reject", done.Result!.GetValue<string>());
    }

    [Fact]
    public async Task Plan_TypeChanged_WaitingTaskCannotBecomeATimer()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Complaint("v1"));
        var (instanceId, _) = await CaseAtReviewAsync(engine);
        await engine.PublishAsync(Complaint("v2", reviewType: "Delay"));

        var plan = await engine.Runtime.PlanMigrationAsync(To(2), instanceId, Designer, TestEngine.Cancellation);

        Assert.False(plan!.CanMigrate);
        var problem = Assert.Single(plan.Problems);
        Assert.Equal((MigrationCodes.TypeChanged, "review"), (problem.Code, problem.ActivityId));
    }

    [Fact]
    public async Task Plan_MapToAnotherTask_WhoseOutcomesTheOpenTaskDoesNotOffer_IsRefused()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Complaint("v1"));
        var (instanceId, _) = await CaseAtReviewAsync(engine);
        await engine.PublishAsync(Complaint("v2").Replace("\"accept\"", "\"approve\"", StringComparison.Ordinal).Replace("\"reject\"", "\"decline\"", StringComparison.Ordinal));

        var plan = await engine.Runtime.PlanMigrationAsync(To(2), instanceId, Designer, TestEngine.Cancellation);

        Assert.Equal([MigrationCodes.NoOutcomeLeft], plan!.Problems.Select(p => p.Code));
    }

    [Fact]
    public async Task Plan_TaskWhoseFormAndDeadlineChanged_MovesAndSaysWhatItKeeps()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Complaint("v1"));
        var (instanceId, _) = await CaseAtReviewAsync(engine);
        await engine.PublishAsync(Complaint("v2", reviewOutcomes: """["accept", "reject", "refer"]""", extraVariables: """, { "name": "channel", "type": "string", "default": "hotline" }""",
            form: """, "form": [ { "name": "summary", "type": "text", "required": true } ]"""));

        var plan = await engine.Runtime.PlanMigrationAsync(To(2), instanceId, Designer, TestEngine.Cancellation);
        var result = await engine.Runtime.MigrateAsync(To(2), instanceId, Designer, TestEngine.Cancellation);

        Assert.True(plan!.CanMigrate);
        Assert.Equal([MigrationCodes.TaskFormChanged, MigrationCodes.TaskKeepsSetup, MigrationCodes.VariableAdded], plan.Warnings.Select(w => w.Code));
        Assert.All(plan.Warnings.Take(2), w => Assert.Equal("review", w.ActivityId));
        Assert.True(result.Migrated);
        Assert.Equal("hotline", (await engine.InstanceAsync(instanceId)).State.Variables["channel"]!.GetValue<string>());
    }

    [Fact]
    public async Task Migrate_JoinArrivalOnAConnectionThatIsGone_IsDroppedWithAWarning()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Signing("v1"));
        var started = await engine.StartAsync("signing");
        await engine.CompleteAsync(started.Bookmarks.Single(b => b.ActivityId == "signA").Id, "signed");
        await engine.PublishAsync(Signing("v2", witnessA: true));

        var result = await engine.Runtime.MigrateAsync(To(2, definitionId: "signing"), started.InstanceId!, Designer, TestEngine.Cancellation);

        Assert.True(result.Migrated);
        var lost = Assert.Single(result.Plan!.Warnings, w => w.Code == MigrationCodes.JoinArrivalLost);
        Assert.Equal("join", lost.ActivityId);
        Assert.Contains("'signA' → 'join' (signed)", lost.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Plan.StandsAt, p => p.Wait == WaitKind.Join);
        Assert.Empty((await engine.InstanceAsync(started.InstanceId!)).State.Joins);
    }

    [Fact]
    public async Task Migrate_JoinArrival_IsKeptOnTheSameConnectionWhoseIndexMoved_AndTheJoinFiresOnce()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Signing("v1"));
        var started = await engine.StartAsync("signing");
        await engine.CompleteAsync(started.Bookmarks.Single(b => b.ActivityId == "signA").Id, "signed");
        await engine.PublishAsync(Signing("v2", shifted: true));

        var result = await engine.Runtime.MigrateAsync(To(2, definitionId: "signing"), started.InstanceId!, Designer, TestEngine.Cancellation);
        var joins = (await engine.InstanceAsync(started.InstanceId!)).State.Joins;
        var done = await engine.CompleteAsync(started.Bookmarks.Single(b => b.ActivityId == "signB").Id, "signed");

        Assert.True(result.Migrated);
        Assert.Contains(result.Plan!.StandsAt, p => p is { Wait: WaitKind.Join, From: "join", To: "join" });
        // v1: connection 3 is signA → join; v2 starts with two connections through 'note', so it is connection 4.
        Assert.Equal([4], joins["join"].Keys);
        Assert.Equal("v2", done.Result!.GetValue<string>());
        Assert.Single(await engine.JournalAsync(started.InstanceId!), e => e.Kind == JournalKind.ActivityCompleted && e.ActivityId == "join");
        Assert.DoesNotContain(await engine.JournalAsync(started.InstanceId!), e => e.ActivityId == "note");
    }

    [Fact]
    public async Task Migrate_FaultedCase_RetryRunsTheFixedActivityOfTheNewVersion()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Triage("caseTitle", "v1"));
        var started = await engine.StartAsync("triage", Json.Object("""{ "caseTitle": "急" }"""));
        Assert.Equal(InstanceStatus.Faulted, started.InstanceStatus);
        await engine.PublishAsync(Triage("caseTitle == \\\"急\\\"", "v2"));

        var result = await engine.Runtime.MigrateAsync(To(2, definitionId: "triage"), started.InstanceId!, Designer, TestEngine.Cancellation);
        var retried = await engine.Runtime.RetryAsync(started.InstanceId!, Designer, TestEngine.Cancellation);

        Assert.True(result.Migrated);
        Assert.Equal(WaitKind.Incident, Assert.Single(result.Plan!.StandsAt).Wait);
        Assert.Contains(result.Plan.Warnings, w => w.Code == MigrationCodes.RetryRunsNewVersion && w.Message.Contains("condition", StringComparison.Ordinal));
        Assert.Equal("v2:fast", retried.Result!.GetValue<string>());
    }

    [Fact]
    public async Task Plan_FinishedCase_AndNotNewerTarget_AreRefused()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Complaint("v1"));
        var (finishedId, taskId) = await CaseAtReviewAsync(engine);
        await engine.CompleteAsync(taskId, "accept");
        await engine.PublishAsync(Complaint("v2"));
        var (onV2, _) = await CaseAtReviewAsync(engine);

        var finished = await engine.Runtime.PlanMigrationAsync(To(2), finishedId, Designer, TestEngine.Cancellation);
        var same = await engine.Runtime.PlanMigrationAsync(To(2), onV2, Designer, TestEngine.Cancellation);

        Assert.Equal([MigrationCodes.Finished], finished!.Problems.Select(p => p.Code));
        Assert.Equal([MigrationCodes.NotNewer], same!.Problems.Select(p => p.Code));
    }

    [Fact]
    public async Task Check_UnknownVersion_Draft_NothingOlder_AndUnknownMapEnds_AreProblems()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Complaint("v1"));
        await engine.Runtime.Definitions.SaveDraftAsync(Complaint("v2"), TestEngine.Cancellation);

        var unknown = await engine.Runtime.CheckMigrationAsync(To(7), TestEngine.Cancellation);
        var draft = await engine.Runtime.CheckMigrationAsync(To(2), TestEngine.Cancellation);
        var first = await engine.Runtime.CheckMigrationAsync(To(1), TestEngine.Cancellation);
        await engine.Runtime.Definitions.PublishAsync("complaint", TestEngine.Cancellation);
        var badMap = await engine.Runtime.CheckMigrationAsync(To(2, new Dictionary<string, string> { ["review"] = "nowhere", ["ghost"] = "review" }), TestEngine.Cancellation);
        var good = await engine.Runtime.CheckMigrationAsync(To(2, new Dictionary<string, string> { ["review"] = "review" }), TestEngine.Cancellation);

        Assert.False(unknown.TargetFound);
        Assert.Equal([MigrationCodes.NotPublished], draft.Problems.Select(p => p.Code));
        Assert.Equal([MigrationCodes.NothingOlder], first.Problems.Select(p => p.Code));
        Assert.Equal([(MigrationCodes.UnknownMapSource, "ghost"), (MigrationCodes.UnknownMapTarget, "review")], badMap.Problems.Select(p => (p.Code, p.ActivityId)));
        Assert.True(good.Succeeded);
    }

    [Fact]
    public async Task Migrate_CaseOutsideTheActorsScope_IsNotFound()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Complaint("v1"));
        var started = await engine.Runtime.StartAsync(new StartRequest("complaint", null, null, Actor.User("u-c1", "mediator") with { Scope = "/s1/c1/" }, Scope: "/s1/c1/"),
            TestEngine.Cancellation);
        await engine.PublishAsync(Complaint("v2"));
        var elsewhere = Actor.User("u-c2", "designer") with { Scope = "/s1/c2/" };

        var plan = await engine.Runtime.PlanMigrationAsync(To(2), started.InstanceId!, elsewhere, TestEngine.Cancellation);
        var result = await engine.Runtime.MigrateAsync(To(2), started.InstanceId!, elsewhere, TestEngine.Cancellation);

        Assert.Null(plan);
        Assert.Equal(MigrationStatus.NotFound, result.Status);
        Assert.Equal(1, (await engine.InstanceAsync(started.InstanceId!)).DefinitionVersion);
    }

    [Fact]
    public async Task Migrate_StepCommittedAfterTheRead_IsAConflictAndChangesNothing()
    {
        InterleavingStore? store = null;
        await using var engine = new TestEngine(wrap: inner => store = new InterleavingStore(inner));
        await engine.PublishAsync(Complaint("v1"));
        var started = await engine.StartAsync("complaint");
        await engine.PublishAsync(Complaint("v2"));
        // Between the migration's read of the case (and its bookmarks) and its commit, a clerk completes the intake.
        store!.BeforeNextDefinitionRead = () => engine.CompleteAsync(Assert.Single(started.Bookmarks).Id);

        var result = await engine.Runtime.MigrateAsync(To(2), started.InstanceId!, Designer, TestEngine.Cancellation);

        Assert.Equal(MigrationStatus.Conflict, result.Status);
        var instance = await engine.InstanceAsync(started.InstanceId!);
        Assert.Equal((1, 2L), (instance.DefinitionVersion, instance.Version));
        Assert.DoesNotContain(await engine.JournalAsync(started.InstanceId!), e => e.Kind == JournalKind.InstanceMigrated);
        var retried = await engine.Runtime.MigrateAsync(To(2), started.InstanceId!, Designer, TestEngine.Cancellation);
        Assert.True(retried.Migrated);
        Assert.Equal("review", Assert.Single(retried.Plan!.StandsAt).To);
    }

    [Fact]
    public async Task Migrate_ParentWaitingOnAChild_MovesAlone_AndSaysTheChildStays()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Complaint("child"));
        const string Parent = """
            {
              "definitionId": "parent", "name": "Parent",
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "sub", "type": "SubWorkflow", "properties": { "definitionId": "complaint" } },
                { "id": "end", "type": "End" }
              ],
              "connections": [ { "from": "start", "to": "sub" }, { "from": "sub", "to": "end" } ]
            }
            """;
        await engine.PublishAsync(Parent);
        var started = await engine.StartAsync("parent");
        await engine.PublishAsync(Parent.Replace("\"Parent\"", "\"Parent v2\"", StringComparison.Ordinal));
        var child = Assert.Single(await engine.OpenBookmarksAsync(started.InstanceId!)).ChildInstanceId!;

        var result = await engine.Runtime.MigrateAsync(To(2, definitionId: "parent"), started.InstanceId!, Designer, TestEngine.Cancellation);

        Assert.True(result.Migrated);
        Assert.Equal(WaitKind.SubWorkflow, Assert.Single(result.Plan!.StandsAt).Wait);
        Assert.Contains(result.Plan.Warnings, w => w.Code == MigrationCodes.ChildStays && w.Message.Contains(child, StringComparison.Ordinal));
        Assert.Equal(1, (await engine.InstanceAsync(child)).DefinitionVersion);
    }

    [Fact]
    public async Task Migrate_StepCommittedBetweenTheReadsOfCaseAndBookmarks_IsAConflictToo()
    {
        InterleavingStore? store = null;
        await using var engine = new TestEngine(wrap: inner => store = new InterleavingStore(inner));
        await engine.PublishAsync(Complaint("v1"));
        var started = await engine.StartAsync("complaint");
        await engine.PublishAsync(Complaint("v2"));
        store!.BeforeNextBookmarkQuery = () => engine.CompleteAsync(Assert.Single(started.Bookmarks).Id);

        var result = await engine.Runtime.MigrateAsync(To(2), started.InstanceId!, Designer, TestEngine.Cancellation);

        Assert.Equal(MigrationStatus.Conflict, result.Status);
        Assert.Equal([MigrationCodes.BookmarkMissing], result.Plan!.Problems.Select(p => p.Code));
        Assert.Equal(1, (await engine.InstanceAsync(started.InstanceId!)).DefinitionVersion);
    }
}
