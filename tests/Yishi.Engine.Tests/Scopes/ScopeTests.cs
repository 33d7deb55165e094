using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Scopes;

/// <summary>
/// Scopes (org-unit paths such as <c>/s1/c1/</c>): instances carry the scope they were started in, their bookmarks and
/// sub-workflows inherit it, and an actor with a scope reaches only what lies inside it; outside looks like absent.
/// </summary>
public sealed class ScopeTests
{
    private const string Unit = "/s1/c1/";
    private const string SubUnit = "/s1/c1/g1/";
    private const string Sibling = "/s1/c2/";

    /// <summary>A mediator of the community that contains <see cref="SubUnit"/>.</summary>
    private static readonly Actor UnitMediator = new("m-c1", ["mediator"], Unit);

    /// <summary>A mediator of a sibling community.</summary>
    private static readonly Actor SiblingMediator = new("m-c2", ["mediator"], Sibling);

    /// <summary>A mediator without a scope: acts everywhere.</summary>
    private static readonly Actor UnscopedMediator = Actor.User("m-all", "mediator");

    private const string Case = """
        {
          "definitionId": "case",
          "name": "A case",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "review", "type": "HumanTask", "properties": { "title": "Review", "assignee": { "role": "mediator" }, "outcomes": ["accept", "decline"] } },
            { "id": "sign", "type": "HumanTask", "properties": { "title": "Sign", "assignee": { "role": "mediator" } } },
            { "id": "done", "type": "End", "properties": { "result": "activities.review.outcome" } }
          ],
          "connections": [
            { "from": "start", "to": "review" },
            { "from": "review", "outcome": "accept", "to": "sign" },
            { "from": "review", "outcome": "decline", "to": "done" },
            { "from": "sign", "to": "done" }
          ]
        }
        """;

    private const string Assigned = """
        {
          "definitionId": "assigned",
          "name": "Party A signs",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "sign", "type": "HumanTask", "properties": { "title": "Sign", "assignee": { "user": "party-a" }, "outcomes": ["signed"] } },
            { "id": "end", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "sign" }, { "from": "sign", "outcome": "signed", "to": "end" } ]
        }
        """;

    private const string Signature = """
        {
          "definitionId": "signature",
          "name": "Collects a signature",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "sign", "type": "HumanTask", "properties": { "title": "Sign", "assignee": { "role": "party" }, "outcomes": ["signed"] } },
            { "id": "end", "type": "End", "properties": { "result": "\"signed\"" } }
          ],
          "connections": [ { "from": "start", "to": "sign" }, { "from": "sign", "outcome": "signed", "to": "end" } ]
        }
        """;

    /// <summary>A workflow that runs <paramref name="child"/> as a sub-workflow and ends with its result.</summary>
    private static string Runs(string id, string child) => $$"""
        {
          "definitionId": "{{id}}",
          "name": "Runs {{child}}",
          "variables": [ { "name": "childResult", "type": "any" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "child", "type": "SubWorkflow", "properties": { "definitionId": "{{child}}", "resultVariable": "childResult" } },
            { "id": "end", "type": "End", "properties": { "result": "childResult" } },
            { "id": "abandoned", "type": "End", "properties": { "result": "\"child cancelled\"" } }
          ],
          "connections": [
            { "from": "start", "to": "child" },
            { "from": "child", "to": "end" },
            { "from": "child", "outcome": "cancelled", "to": "abandoned" }
          ]
        }
        """;

    private static async Task<StepResult> StartInAsync(TestEngine engine, string definitionId, string? scope)
    {
        var result = await engine.Runtime.StartAsync(new StartRequest(definitionId, Scope: scope), TestEngine.Cancellation);
        Assert.True(result.Succeeded, $"Start failed: {result.Status} {result.Message}");
        return result;
    }

    /// <summary>An engine with the case definition published and one case waiting on its review in <paramref name="scope"/>.</summary>
    private static async Task<(TestEngine Engine, string InstanceId, string BookmarkId)> CaseInAsync(string? scope)
    {
        var engine = new TestEngine();
        await engine.PublishAsync(Case);
        var started = await StartInAsync(engine, "case", scope);
        return (engine, started.InstanceId!, Assert.Single(started.Bookmarks).Id);
    }

    /// <summary>A faulted instance in <paramref name="scope"/>: its sub-workflow's definition is not published yet.</summary>
    private static async Task<string> FaultedInAsync(TestEngine engine, string? scope)
    {
        await engine.PublishAsync(Runs("waits-for-later", "published-later"));
        var started = await StartInAsync(engine, "waits-for-later", scope);
        Assert.Equal(InstanceStatus.Faulted, started.InstanceStatus);
        return started.InstanceId!;
    }

    /// <summary>What a refused call must not change: the instance, its journal and its open bookmarks.</summary>
    private static async Task<string> SnapshotAsync(TestEngine engine, string instanceId)
    {
        var instance = await engine.InstanceAsync(instanceId);
        var journal = await engine.JournalAsync(instanceId);
        var open = await engine.OpenBookmarksAsync(instanceId);
        return $"{instance.Status} v{instance.Version} finished={instance.FinishedAt} incidents={instance.State.Incidents.Count} tokens={instance.State.Tokens.Count} " +
               $"journal={journal.Count} open=[{string.Join(", ", open.Select(b => $"{b.Id}:{b.UserId}"))}]";
    }

    // ---- Actor.Reaches ----

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, "/s1/c1/", true)]
    [InlineData(null, "/", true)]
    [InlineData("/s1/c1/", "/s1/c1/", true)]
    [InlineData("/s1/c1/", "/s1/c1/g1/", true)]
    [InlineData("/s1/c1/", "/s1/c1/g1/h7/", true)]
    [InlineData("/s1/", "/s1/c1/g1/", true)]
    [InlineData("/", "/s1/c1/", true)]
    [InlineData("/s1/c1/", "/s1/c10/", false)]
    [InlineData("/s1/c1/", "/s1/c10/g1/", false)]
    [InlineData("/s1/c1/", "/s1/c2/", false)]
    [InlineData("/s1/c1/", "/s1/", false)]
    [InlineData("/s1/c1/", "/", false)]
    [InlineData("/s1/c1/", "/s2/c1/", false)]
    [InlineData("/s1/c1/", "/S1/C1/", false)]
    [InlineData("/s1/c1/", "", false)]
    [InlineData("/s1/c1/", null, false)]
    [InlineData("/", null, false)]
    public void Reaches_ScopePrefix_SlashTerminatedOrdinalAndClosedOnUnscoped(string? actorScope, string? scope, bool expected)
    {
        var actor = new Actor("u-1", ["mediator"], actorScope);

        Assert.Equal(expected, actor.Reaches(scope));
    }

    [Fact]
    public void Reaches_SystemAndPlainUsers_AreUnscopedAndReachEverything()
    {
        Assert.Null(Actor.System.Scope);
        Assert.Null(Actor.User("u-1", "mediator").Scope);
        Assert.True(Actor.System.Reaches("/s1/c1/"));
        Assert.True(Actor.System.Reaches(null));
        Assert.True(Actor.User("u-1").Reaches("/s9/"));
        Assert.True(Actor.User("u-1").Reaches(null));
    }

    // ---- Scope on instances and bookmarks ----

    [Theory]
    [InlineData(SubUnit, true)]
    [InlineData(Sibling, false)]
    [InlineData(null, false)]
    public async Task Start_ByScopedActor_OnlyInsideTheirScope(string? scope, bool allowed)
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Case);

        var started = await engine.Runtime.StartAsync(new StartRequest("case", Actor: UnitMediator, Scope: scope), TestEngine.Cancellation);

        Assert.Equal(allowed ? StepStatus.Succeeded : StepStatus.Forbidden, started.Status);
        Assert.Equal(allowed ? 1 : 0, (await engine.Runtime.QueryInstancesAsync(new InstanceQuery(), TestEngine.Cancellation)).Count);
    }

    [Fact]
    public async Task Scope_StartWithScope_InstanceAndTaskBookmarksCarryIt()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync(SubUnit);
        await using var _ = engine;

        var instance = await engine.InstanceAsync(instanceId);
        var stored = await engine.Store.FindBookmarkAsync(bookmarkId, TestEngine.Cancellation);
        var found = await engine.Store.FindBookmarkWithInstanceAsync(bookmarkId, TestEngine.Cancellation);
        var summary = Assert.Single(await engine.Runtime.QueryInstancesAsync(new InstanceQuery(), TestEngine.Cancellation));

        Assert.Equal(SubUnit, instance.Scope);
        Assert.Equal(SubUnit, stored!.Scope);
        Assert.Equal(SubUnit, found!.Value.Bookmark.Scope);
        Assert.Equal(SubUnit, found.Value.Instance.Scope);
        Assert.Equal(SubUnit, summary.Scope);

        // The next task, created in a later step on the instance read back from the store, carries it too.
        var reviewed = await engine.CompleteAsync(bookmarkId, "accept", actor: UnitMediator);
        var sign = Assert.Single(reviewed.Bookmarks);
        Assert.Equal("sign", sign.ActivityId);
        Assert.Equal(SubUnit, sign.Scope);
        Assert.Equal(SubUnit, (await engine.OpenBookmarkAsync(instanceId, "sign")).Scope);
        Assert.Equal(SubUnit, (await engine.InstanceAsync(instanceId)).Scope);

        var done = await engine.CompleteAsync(sign.Id, actor: UnitMediator);
        Assert.Equal(InstanceStatus.Completed, done.InstanceStatus);
        Assert.Equal(SubUnit, (await engine.InstanceAsync(instanceId)).Scope);
    }

    [Fact]
    public async Task Scope_StartWithoutScope_InstanceAndBookmarkAreUnscoped()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync(null);
        await using var _ = engine;

        Assert.Null((await engine.InstanceAsync(instanceId)).Scope);
        Assert.Null((await engine.Store.FindBookmarkAsync(bookmarkId, TestEngine.Cancellation))!.Scope);
        Assert.Null(Assert.Single(await engine.Runtime.QueryInstancesAsync(new InstanceQuery(), TestEngine.Cancellation)).Scope);
    }

    [Fact]
    public async Task Scope_SubWorkflows_InheritTheParentsScopeAtEveryLevel()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Signature);
        await engine.PublishAsync(Runs("middle", "signature"));
        await engine.PublishAsync(Runs("outer", "middle"));

        var started = await StartInAsync(engine, "outer", SubUnit);

        var outerWait = Assert.Single(started.Bookmarks);
        Assert.Equal(BookmarkKind.SubWorkflow, outerWait.Kind);
        Assert.Equal(SubUnit, outerWait.Scope);
        var middle = await engine.InstanceAsync(outerWait.ChildInstanceId!);
        Assert.Equal(started.InstanceId, middle.ParentInstanceId);
        Assert.Equal(SubUnit, middle.Scope);
        var middleWait = Assert.Single(await engine.OpenBookmarksAsync(middle.Id));
        Assert.Equal(SubUnit, middleWait.Scope);
        var signature = await engine.InstanceAsync(middleWait.ChildInstanceId!);
        Assert.Equal(middle.Id, signature.ParentInstanceId);
        Assert.Equal(SubUnit, signature.Scope);
        var sign = Assert.Single(await engine.OpenBookmarksAsync(signature.Id));
        Assert.Equal(SubUnit, sign.Scope);
        var summaries = await engine.Runtime.QueryInstancesAsync(new InstanceQuery(), TestEngine.Cancellation);
        Assert.Equal(3, summaries.Count);
        Assert.All(summaries, s => Assert.Equal(SubUnit, s.Scope));

        // A party of another community does not see the grandchild's task; one of the case's community completes it,
        // and the engine (unscoped) carries the result up through both parents.
        var stranger = await engine.ResumeAsync(sign.Id, "signed", actor: new Actor("p-c2", ["party"], Sibling));
        Assert.Equal(StepStatus.NotFound, stranger.Status);
        await engine.CompleteAsync(sign.Id, "signed", actor: new Actor("p-c1", ["party"], Unit));
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(started.InstanceId!));
        Assert.Equal("signed", (await engine.InstanceAsync(started.InstanceId!)).State.Result!.GetValue<string>());
    }

    [Fact]
    public async Task Scope_ChildStartedByRetry_InheritsTheParentsScope()
    {
        await using var engine = new TestEngine();
        var parentId = await FaultedInAsync(engine, SubUnit);
        await engine.PublishAsync(Signature.Replace("\"signature\"", "\"published-later\"", StringComparison.Ordinal));

        var retried = await engine.Runtime.RetryAsync(parentId, UnitMediator, TestEngine.Cancellation);

        Assert.True(retried.Succeeded, $"{retried.Status} {retried.Message}");
        Assert.Equal(InstanceStatus.Waiting, retried.InstanceStatus);
        var wait = await engine.OpenBookmarkAsync(parentId, "child");
        Assert.Equal(SubUnit, wait.Scope);
        var child = await engine.InstanceAsync(wait.ChildInstanceId!);
        Assert.Equal(SubUnit, child.Scope);
        Assert.Equal(SubUnit, Assert.Single(await engine.OpenBookmarksAsync(child.Id)).Scope);
    }

    // ---- Who reaches what ----

    [Fact]
    public async Task Scope_MediatorOfTheUnit_ClaimsAndCompletesATaskInASubUnit()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync(SubUnit);
        await using var _ = engine;

        var claimed = await engine.Runtime.ClaimAsync(bookmarkId, UnitMediator, TestEngine.Cancellation);
        var completed = await engine.ResumeAsync(bookmarkId, "decline", actor: UnitMediator);

        Assert.True(claimed.Succeeded, $"{claimed.Status} {claimed.Message}");
        Assert.Equal(UnitMediator.Id, claimed.Bookmarks[0].UserId);
        Assert.True(completed.Succeeded, $"{completed.Status} {completed.Message}");
        Assert.Equal(InstanceStatus.Completed, completed.InstanceStatus);
        Assert.Equal("decline", completed.Result!.GetValue<string>());
        Assert.Contains(await engine.JournalAsync(instanceId), e => e.Kind == JournalKind.BookmarkResumed && e.ActorId == UnitMediator.Id);
    }

    [Fact]
    public async Task Scope_MediatorOfTheUnit_CompletesUnclaimedTaskInItsOwnUnit()
    {
        var (engine, _, bookmarkId) = await CaseInAsync(Unit);
        await using var __ = engine;

        var completed = await engine.ResumeAsync(bookmarkId, "decline", actor: UnitMediator);

        Assert.True(completed.Succeeded, $"{completed.Status} {completed.Message}");
    }

    [Fact]
    public async Task Scope_MediatorInScopeWithoutTheRole_IsStillForbidden()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync(SubUnit);
        await using var _ = engine;
        var before = await SnapshotAsync(engine, instanceId);

        var clerk = new Actor("clerk-c1", ["clerk"], Unit);
        var resumed = await engine.ResumeAsync(bookmarkId, "accept", actor: clerk);
        var claimed = await engine.Runtime.ClaimAsync(bookmarkId, clerk, TestEngine.Cancellation);

        Assert.Equal(StepStatus.Forbidden, resumed.Status);
        Assert.Equal(StepStatus.Forbidden, claimed.Status);
        Assert.Equal(before, await SnapshotAsync(engine, instanceId));
    }

    [Fact]
    public async Task Scope_MediatorOfASiblingUnit_GetsNotFoundOnResumeAndClaim_AndNothingChanges()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync(SubUnit);
        await using var _ = engine;
        var before = await SnapshotAsync(engine, instanceId);

        var resumed = await engine.ResumeAsync(bookmarkId, "accept", actor: SiblingMediator);
        var claimed = await engine.Runtime.ClaimAsync(bookmarkId, SiblingMediator, TestEngine.Cancellation);

        Assert.Equal(StepStatus.NotFound, resumed.Status);
        Assert.Equal(StepStatus.NotFound, claimed.Status);
        // Indistinguishable from a task that does not exist: no instance id leaks either.
        var missing = await engine.ResumeAsync("no-such-bookmark", "accept", actor: SiblingMediator);
        Assert.Equal(missing.Status, resumed.Status);
        Assert.Null(resumed.InstanceId);
        Assert.Null(claimed.InstanceId);
        Assert.Equal(before, await SnapshotAsync(engine, instanceId));
        Assert.DoesNotContain(await engine.JournalAsync(instanceId), e => e.ActorId == SiblingMediator.Id);
        Assert.Null((await engine.Store.FindBookmarkAsync(bookmarkId, TestEngine.Cancellation))!.UserId);
    }

    [Fact]
    public async Task Scope_MediatorOfASiblingUnit_GetsNotFoundOnCancel_AndNothingChanges()
    {
        var (engine, instanceId, _) = await CaseInAsync(SubUnit);
        await using var __ = engine;
        var before = await SnapshotAsync(engine, instanceId);

        var cancelled = await engine.Runtime.CancelAsync(instanceId, SiblingMediator, "not mine", TestEngine.Cancellation);

        Assert.Equal(StepStatus.NotFound, cancelled.Status);
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(instanceId));
        Assert.Equal(before, await SnapshotAsync(engine, instanceId));
        Assert.DoesNotContain(await engine.JournalAsync(instanceId), e => e.Kind == JournalKind.InstanceCancelled);

        // The unit's own mediator can.
        var byUnit = await engine.Runtime.CancelAsync(instanceId, UnitMediator, "duplicate", TestEngine.Cancellation);
        Assert.True(byUnit.Succeeded, $"{byUnit.Status} {byUnit.Message}");
        Assert.Equal(InstanceStatus.Cancelled, await engine.StatusAsync(instanceId));
    }

    [Fact]
    public async Task Scope_MediatorOfASiblingUnit_GetsNotFoundOnRetry_AndNothingChanges()
    {
        await using var engine = new TestEngine();
        var instanceId = await FaultedInAsync(engine, SubUnit);
        await engine.PublishAsync(Signature.Replace("\"signature\"", "\"published-later\"", StringComparison.Ordinal));
        var before = await SnapshotAsync(engine, instanceId);

        var retried = await engine.Runtime.RetryAsync(instanceId, SiblingMediator, TestEngine.Cancellation);
        var cancelled = await engine.Runtime.CancelAsync(instanceId, SiblingMediator, cancellationToken: TestEngine.Cancellation);

        Assert.Equal(StepStatus.NotFound, retried.Status);
        Assert.Equal(StepStatus.NotFound, cancelled.Status);
        Assert.Equal(InstanceStatus.Faulted, await engine.StatusAsync(instanceId));
        Assert.Equal(before, await SnapshotAsync(engine, instanceId));
        Assert.Single(await engine.Runtime.QueryInstancesAsync(new InstanceQuery(), TestEngine.Cancellation));
    }

    [Fact]
    public async Task Scope_PrefixEdge_MediatorOfC1_DoesNotReachC10()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync("/s1/c10/");
        await using var _ = engine;
        var faultedId = await FaultedInAsync(engine, "/s1/c10/g1/");
        var before = await SnapshotAsync(engine, instanceId);
        var beforeFaulted = await SnapshotAsync(engine, faultedId);

        var resumed = await engine.ResumeAsync(bookmarkId, "accept", actor: UnitMediator);
        var claimed = await engine.Runtime.ClaimAsync(bookmarkId, UnitMediator, TestEngine.Cancellation);
        var cancelled = await engine.Runtime.CancelAsync(instanceId, UnitMediator, cancellationToken: TestEngine.Cancellation);
        var retried = await engine.Runtime.RetryAsync(faultedId, UnitMediator, TestEngine.Cancellation);

        Assert.Equal(StepStatus.NotFound, resumed.Status);
        Assert.Equal(StepStatus.NotFound, claimed.Status);
        Assert.Equal(StepStatus.NotFound, cancelled.Status);
        Assert.Equal(StepStatus.NotFound, retried.Status);
        Assert.Equal(before, await SnapshotAsync(engine, instanceId));
        Assert.Equal(beforeFaulted, await SnapshotAsync(engine, faultedId));
    }

    [Fact]
    public async Task Scope_ScopedActor_DoesNotReachAnUnscopedInstance()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync(null);
        await using var _ = engine;
        var faultedId = await FaultedInAsync(engine, null);
        var before = await SnapshotAsync(engine, instanceId);
        var beforeFaulted = await SnapshotAsync(engine, faultedId);
        var root = new Actor("m-root", ["mediator"], "/");

        foreach (var actor in new[] { UnitMediator, root })
        {
            Assert.Equal(StepStatus.NotFound, (await engine.ResumeAsync(bookmarkId, "accept", actor: actor)).Status);
            Assert.Equal(StepStatus.NotFound, (await engine.Runtime.ClaimAsync(bookmarkId, actor, TestEngine.Cancellation)).Status);
            Assert.Equal(StepStatus.NotFound, (await engine.Runtime.CancelAsync(instanceId, actor, cancellationToken: TestEngine.Cancellation)).Status);
            Assert.Equal(StepStatus.NotFound, (await engine.Runtime.RetryAsync(faultedId, actor, TestEngine.Cancellation)).Status);
        }

        Assert.Equal(before, await SnapshotAsync(engine, instanceId));
        Assert.Equal(beforeFaulted, await SnapshotAsync(engine, faultedId));
    }

    [Fact]
    public async Task Scope_UserCalledSystemWithAScope_GetsNoPrivilege()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync(SubUnit);
        await using var _ = engine;
        var before = await SnapshotAsync(engine, instanceId);
        var impostor = new Actor("system", ["mediator"], Sibling);

        Assert.Equal(StepStatus.NotFound, (await engine.ResumeAsync(bookmarkId, "accept", actor: impostor)).Status);
        Assert.Equal(StepStatus.NotFound, (await engine.Runtime.CancelAsync(instanceId, impostor, cancellationToken: TestEngine.Cancellation)).Status);
        Assert.Equal(before, await SnapshotAsync(engine, instanceId));
    }

    [Fact]
    public async Task Scope_UnscopedActorsAndTheSystem_ReachEverything()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Case);
        var inSubUnit = await StartInAsync(engine, "case", SubUnit);
        var inOtherStreet = await StartInAsync(engine, "case", "/s2/c5/");
        var unscoped = await StartInAsync(engine, "case", null);
        var bySystem = await StartInAsync(engine, "case", Sibling);
        var faultedId = await FaultedInAsync(engine, "/s3/");
        await engine.PublishAsync(Signature.Replace("\"signature\"", "\"published-later\"", StringComparison.Ordinal));

        var claimed = await engine.Runtime.ClaimAsync(inSubUnit.Bookmarks[0].Id, UnscopedMediator, TestEngine.Cancellation);
        var resumed = await engine.ResumeAsync(inSubUnit.Bookmarks[0].Id, "decline", actor: UnscopedMediator);
        var cancelled = await engine.Runtime.CancelAsync(inOtherStreet.InstanceId!, UnscopedMediator, cancellationToken: TestEngine.Cancellation);
        var resumedUnscoped = await engine.ResumeAsync(unscoped.Bookmarks[0].Id, "decline", actor: UnscopedMediator);
        var resumedBySystem = await engine.ResumeAsync(bySystem.Bookmarks[0].Id, "decline", actor: Actor.System);
        var retried = await engine.Runtime.RetryAsync(faultedId, UnscopedMediator, TestEngine.Cancellation);

        Assert.True(claimed.Succeeded, $"{claimed.Status} {claimed.Message}");
        Assert.True(resumed.Succeeded, $"{resumed.Status} {resumed.Message}");
        Assert.True(cancelled.Succeeded, $"{cancelled.Status} {cancelled.Message}");
        Assert.True(resumedUnscoped.Succeeded, $"{resumedUnscoped.Status} {resumedUnscoped.Message}");
        Assert.True(resumedBySystem.Succeeded, $"{resumedBySystem.Status} {resumedBySystem.Message}");
        Assert.True(retried.Succeeded, $"{retried.Status} {retried.Message}");
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(inSubUnit.InstanceId!));
        Assert.Equal(InstanceStatus.Cancelled, await engine.StatusAsync(inOtherStreet.InstanceId!));
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(unscoped.InstanceId!));
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(bySystem.InstanceId!));
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(faultedId));
    }

    // ---- Tasks assigned to a person are theirs wherever they are ----

    [Fact]
    public async Task Scope_TaskAssignedToAUser_IsCompletableByThemOutsideTheirScope()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Assigned);
        var started = await StartInAsync(engine, "assigned", "/s2/c5/");
        var sign = Assert.Single(started.Bookmarks);
        Assert.Equal("party-a", sign.UserId);
        Assert.Equal("/s2/c5/", sign.Scope);
        var partyA = new Actor("party-a", [], Unit);
        Assert.False(partyA.Reaches(sign.Scope));

        var claimed = await engine.Runtime.ClaimAsync(sign.Id, partyA, TestEngine.Cancellation);
        var byB = await engine.ResumeAsync(sign.Id, "signed", actor: new Actor("party-b", [], Unit));
        var byUnscopedB = await engine.ResumeAsync(sign.Id, "signed", actor: Actor.User("party-b"));
        var byA = await engine.ResumeAsync(sign.Id, "signed", actor: partyA);

        Assert.True(claimed.Succeeded, $"{claimed.Status} {claimed.Message}");
        // Someone else outside the scope does not learn the task exists; someone who reaches it learns it is not theirs.
        Assert.Equal(StepStatus.NotFound, byB.Status);
        Assert.Equal(StepStatus.Forbidden, byUnscopedB.Status);
        Assert.True(byA.Succeeded, $"{byA.Status} {byA.Message}");
        Assert.Equal(InstanceStatus.Completed, byA.InstanceStatus);
    }

    [Fact]
    public async Task Scope_ClaimedTask_StaysTheHoldersAfterTheyMoveToAnotherUnit()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync(SubUnit);
        await using var _ = engine;
        var claimed = await engine.Runtime.ClaimAsync(bookmarkId, UnitMediator, TestEngine.Cancellation);
        Assert.True(claimed.Succeeded, $"{claimed.Status} {claimed.Message}");
        var moved = UnitMediator with { Scope = Sibling };
        Assert.False(moved.Reaches(SubUnit));

        var otherInSibling = await engine.ResumeAsync(bookmarkId, "accept", actor: SiblingMediator);
        var otherInUnit = await engine.ResumeAsync(bookmarkId, "accept", actor: new Actor("m-c1-b", ["mediator"], Unit));
        var claimAgain = await engine.Runtime.ClaimAsync(bookmarkId, moved, TestEngine.Cancellation);
        var byHolder = await engine.ResumeAsync(bookmarkId, "decline", actor: moved);

        Assert.Equal(StepStatus.NotFound, otherInSibling.Status);
        Assert.Equal(StepStatus.Forbidden, otherInUnit.Status);
        Assert.True(claimAgain.Succeeded, $"{claimAgain.Status} {claimAgain.Message}");
        Assert.True(byHolder.Succeeded, $"{byHolder.Status} {byHolder.Message}");
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(instanceId));
    }

    [Fact]
    public async Task Scope_AssignedTaskDoesNotOpenTheInstance_CancelAndRetryStayNotFound()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Assigned);
        var started = await StartInAsync(engine, "assigned", "/s2/c5/");
        var partyA = new Actor("party-a", ["mediator"], Unit);
        var before = await SnapshotAsync(engine, started.InstanceId!);

        var cancelled = await engine.Runtime.CancelAsync(started.InstanceId!, partyA, cancellationToken: TestEngine.Cancellation);

        Assert.Equal(StepStatus.NotFound, cancelled.Status);
        Assert.Equal(before, await SnapshotAsync(engine, started.InstanceId!));
    }

    [Fact]
    public async Task ATransfer_MovesTheCaseAndItsOpenTasks_ToTheNewUnit_AndIsJournalled()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync(Unit);
        await using var _ = engine;

        var moved = await engine.Runtime.TransferAsync(instanceId, Sibling, "属地管理", UnitMediator, TestEngine.Cancellation);

        Assert.True(moved.Succeeded, moved.Message);
        Assert.Equal(Sibling, (await engine.InstanceAsync(instanceId)).Scope);
        Assert.Equal(Sibling, Assert.Single(await engine.OpenBookmarksAsync(instanceId)).Scope);
        var note = Assert.Single(await engine.JournalAsync(instanceId), e => e.Kind == JournalKind.CaseNoted);
        Assert.Equal(("属地管理", Unit, Sibling, "m-c1"), (note.Message, note.Data!["from"]!.GetValue<string>(), note.Data["to"]!.GetValue<string>(), note.ActorId));
        // The sending unit's mediator no longer reaches the task; the receiving unit's does.
        Assert.Equal(StepStatus.NotFound, (await engine.ResumeAsync(bookmarkId, "accept", actor: UnitMediator)).Status);
        Assert.True((await engine.ResumeAsync(bookmarkId, "accept", actor: SiblingMediator)).Succeeded);
        Assert.Equal(StepStatus.InvalidInput, (await engine.Runtime.TransferAsync(instanceId, Sibling, "again", SiblingMediator, TestEngine.Cancellation)).Status);
    }

    [Fact]
    public async Task AFinishedCase_IsNotHandedOn_ButNotesStillGoIntoItsJournalInOrder()
    {
        var (engine, instanceId, bookmarkId) = await CaseInAsync(Unit);
        await using var _ = engine;
        await engine.CompleteAsync(bookmarkId, "decline", actor: UnitMediator);

        Assert.Equal(StepStatus.NotActive, (await engine.Runtime.TransferAsync(instanceId, Sibling, "too late", UnitMediator, TestEngine.Cancellation)).Status);
        var noted = await engine.Runtime.NoteAsync(instanceId, "attachment added", new System.Text.Json.Nodes.JsonObject { ["what"] = "attachment" }, UnitMediator,
            TestEngine.Cancellation);

        Assert.True(noted.Succeeded, noted.Message);
        var journal = await engine.JournalAsync(instanceId);
        Assert.Equal(JournalKind.CaseNoted, journal[^1].Kind);
        Assert.Equal(Enumerable.Range(0, journal.Count).Select(i => (long)i), journal.Select(e => e.Sequence));
        Assert.Equal(StepStatus.NotFound, (await engine.Runtime.NoteAsync("nope", "x", [], UnitMediator, TestEngine.Cancellation)).Status);
    }
}
