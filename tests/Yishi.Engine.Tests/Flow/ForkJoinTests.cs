using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

public sealed class ForkJoinTests
{
    [Fact]
    public async Task Fork_TwoBranches_OpensOneTaskPerBranch()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("fork-join-all.json");

        var started = await engine.StartAsync("fork-join-all");

        Assert.Equal(InstanceStatus.Waiting, started.InstanceStatus);
        Assert.Equal(["signA", "signB"], started.Bookmarks.Select(b => b.ActivityId).Order());
        Assert.Equal(["party-a", "party-b"], started.Bookmarks.Select(b => b.UserId!).Order());
    }

    [Fact]
    public async Task JoinAll_OneBranchDone_KeepsWaitingForTheOther()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("fork-join-all.json");
        var started = await engine.StartAsync("fork-join-all");
        var signA = started.Bookmarks.Single(b => b.ActivityId == "signA");

        var afterA = await engine.CompleteAsync(signA.Id, "signed");

        Assert.Equal(InstanceStatus.Waiting, afterA.InstanceStatus);
        Assert.Equal("signB", Assert.Single(await engine.OpenBookmarksAsync(started.InstanceId!)).ActivityId);
        Assert.DoesNotContain(await engine.JournalAsync(started.InstanceId!), e => e.ActivityId == "join");
    }

    [Fact]
    public async Task JoinAll_BothBranchesDone_ContinuesOnce()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("fork-join-all.json");
        var started = await engine.StartAsync("fork-join-all");
        await engine.CompleteAsync(started.Bookmarks.Single(b => b.ActivityId == "signB").Id, "signed");

        var afterBoth = await engine.CompleteAsync(started.Bookmarks.Single(b => b.ActivityId == "signA").Id, "signed");

        Assert.Equal(InstanceStatus.Completed, afterBoth.InstanceStatus);
        Assert.Equal("agreement", afterBoth.Result!.GetValue<string>());
        var journal = await engine.JournalAsync(started.InstanceId!);
        Assert.Single(journal, e => e.Kind == JournalKind.ActivityCompleted && e.ActivityId == "join");
        Assert.Single(journal, e => e.Kind == JournalKind.ActivityCompleted && e.ActivityId == "end");
        Assert.Empty((await engine.InstanceAsync(started.InstanceId!)).State.Joins);
    }

    [Fact]
    public async Task JoinAny_FirstBranchWins_OtherBookmarkIsWithdrawn()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("fork-join-any.json");
        var started = await engine.StartAsync("fork-join-any");
        var byMediator = started.Bookmarks.Single(b => b.ActivityId == "byMediator");
        var byVolunteer = started.Bookmarks.Single(b => b.ActivityId == "byVolunteer");

        var won = await engine.CompleteAsync(byVolunteer.Id, "taken");

        Assert.Equal(InstanceStatus.Waiting, won.InstanceStatus);
        var open = await engine.OpenBookmarksAsync(started.InstanceId!);
        Assert.Equal("visit", Assert.Single(open).ActivityId);
        var mediatorInbox = await engine.Runtime.QueryBookmarksAsync(new BookmarkQuery { Roles = ["mediator"] }, TestEngine.Cancellation);
        Assert.DoesNotContain(mediatorInbox, b => b.Id == byMediator.Id);
        Assert.Contains(await engine.JournalAsync(started.InstanceId!), e => e.Kind == JournalKind.BookmarkWithdrawn && e.BookmarkId == byMediator.Id);
        Assert.NotNull((await engine.Store.FindBookmarkAsync(byMediator.Id, TestEngine.Cancellation))!.ConsumedAt);
    }

    [Fact]
    public async Task JoinAny_ResumeWithdrawnBookmark_ReturnsConflictAndChangesNothing()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("fork-join-any.json");
        var started = await engine.StartAsync("fork-join-any");
        await engine.CompleteAsync(started.Bookmarks.Single(b => b.ActivityId == "byVolunteer").Id, "taken");
        var journalBefore = await engine.JournalAsync(started.InstanceId!);

        var late = await engine.ResumeAsync(started.Bookmarks.Single(b => b.ActivityId == "byMediator").Id, "taken");

        Assert.Equal(StepStatus.Conflict, late.Status);
        Assert.Equal(ConflictReason.BookmarkConsumed, late.Conflict);
        Assert.Equal(journalBefore.Count, (await engine.JournalAsync(started.InstanceId!)).Count);
        Assert.Equal("visit", Assert.Single(await engine.OpenBookmarksAsync(started.InstanceId!)).ActivityId);
    }

    [Fact]
    public async Task JoinAll_AfterDecisionBranchNotTaken_DoesNotBlock()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "optional-review",
              "name": "A review only for large claims",
              "variables": [ { "name": "amount", "type": "number", "required": true } ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "fork", "type": "Fork", "properties": { "branches": ["check", "large"] } },
                { "id": "check", "type": "HumanTask", "properties": { "title": "Check documents", "assignee": { "role": "clerk" } } },
                { "id": "isLarge", "type": "Decision", "properties": { "condition": "amount > 1000" } },
                { "id": "review", "type": "HumanTask", "properties": { "title": "Senior review", "assignee": { "role": "senior" } } },
                { "id": "join", "type": "Join", "properties": { "mode": "all" } },
                { "id": "end", "type": "End" }
              ],
              "connections": [
                { "from": "start", "to": "fork" },
                { "from": "fork", "outcome": "check", "to": "check" },
                { "from": "fork", "outcome": "large", "to": "isLarge" },
                { "from": "isLarge", "outcome": "true", "to": "review" },
                { "from": "isLarge", "outcome": "false", "to": "join" },
                { "from": "review", "to": "join" },
                { "from": "check", "to": "join" },
                { "from": "join", "to": "end" }
              ]
            }
            """);
        var started = await engine.StartAsync("optional-review", Json.Object("""{ "amount": 50 }"""));
        Assert.Equal("check", Assert.Single(started.Bookmarks).ActivityId);

        var checkedDocuments = await engine.CompleteAsync(started.Bookmarks[0].Id);

        Assert.Equal(InstanceStatus.Completed, checkedDocuments.InstanceStatus);
    }

    [Fact]
    public async Task JoinAll_AfterDecisionBranchTaken_WaitsForIt()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "either-way",
              "name": "Both paths of a decision meet at a join",
              "variables": [ { "name": "urgent", "type": "boolean", "required": true } ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "isUrgent", "type": "Decision", "properties": { "condition": "urgent" } },
                { "id": "callNow", "type": "HumanTask", "properties": { "title": "Call now", "assignee": { "role": "clerk" } } },
                { "id": "note", "type": "SetVariable", "properties": { "variable": "urgent", "value": "false" } },
                { "id": "join", "type": "Join" },
                { "id": "end", "type": "End", "properties": { "result": "urgent" } }
              ],
              "connections": [
                { "from": "start", "to": "isUrgent" },
                { "from": "isUrgent", "outcome": "true", "to": "callNow" },
                { "from": "isUrgent", "outcome": "false", "to": "note" },
                { "from": "callNow", "to": "join" },
                { "from": "note", "to": "join" },
                { "from": "join", "to": "end" }
              ]
            }
            """);

        var notUrgent = await engine.StartAsync("either-way", Json.Object("""{ "urgent": false }"""));
        var urgent = await engine.StartAsync("either-way", Json.Object("""{ "urgent": true }"""));

        Assert.Equal(InstanceStatus.Completed, notUrgent.InstanceStatus);
        Assert.Equal(InstanceStatus.Waiting, urgent.InstanceStatus);
        Assert.Equal("callNow", Assert.Single(urgent.Bookmarks).ActivityId);
        var called = await engine.CompleteAsync(urgent.Bookmarks[0].Id);
        Assert.Equal(InstanceStatus.Completed, called.InstanceStatus);
        Assert.True(called.Result!.GetValue<bool>());
    }
}
