using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

public sealed class CancelTests
{
    private const string Child = """
        {
          "definitionId": "child",
          "name": "Child",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "childTask", "type": "HumanTask", "properties": { "title": "Child task", "assignee": { "role": "clerk" } } },
            { "id": "end", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "childTask" }, { "from": "childTask", "to": "end" } ]
        }
        """;

    private const string Parent = """
        {
          "definitionId": "parent",
          "name": "Parent",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "fork", "type": "Fork", "properties": { "branches": ["child", "task"] } },
            { "id": "runChild", "type": "SubWorkflow", "properties": { "definitionId": "child" } },
            { "id": "parentTask", "type": "HumanTask", "properties": { "title": "Parent task", "assignee": { "role": "clerk" } } },
            { "id": "join", "type": "Join" },
            { "id": "end", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "fork" },
            { "from": "fork", "outcome": "child", "to": "runChild" },
            { "from": "fork", "outcome": "task", "to": "parentTask" },
            { "from": "runChild", "to": "join" },
            { "from": "parentTask", "to": "join" },
            { "from": "join", "to": "end" }
          ]
        }
        """;

    [Fact]
    public async Task Cancel_WaitingInstance_WithdrawsBookmarksAndCancelsChild()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Child);
        await engine.PublishAsync(Parent);
        var started = await engine.StartAsync("parent");
        var childId = started.Bookmarks.Single(b => b.Kind == BookmarkKind.SubWorkflow).ChildInstanceId!;
        Assert.Equal(3, (await engine.Runtime.QueryBookmarksAsync(new BookmarkQuery(), TestEngine.Cancellation)).Count);
        engine.Clock.Advance(TimeSpan.FromHours(1));

        var cancelled = await engine.Runtime.CancelAsync(started.InstanceId!, Actor.User("admin", "admin"), "duplicate case", TestEngine.Cancellation);

        Assert.True(cancelled.Succeeded);
        Assert.Equal(InstanceStatus.Cancelled, cancelled.InstanceStatus);
        var parent = await engine.InstanceAsync(started.InstanceId!);
        Assert.Equal(TestEngine.Epoch.AddHours(1), parent.FinishedAt);
        Assert.Empty(parent.State.Tokens);
        Assert.Equal(InstanceStatus.Cancelled, await engine.StatusAsync(childId));
        Assert.Empty(await engine.Runtime.QueryBookmarksAsync(new BookmarkQuery(), TestEngine.Cancellation));
        Assert.Empty(await engine.Store.ReadOutboxAsync(10, TestEngine.Cancellation));
        var journal = await engine.JournalAsync(parent.Id);
        Assert.Equal(2, journal.Count(e => e.Kind == JournalKind.BookmarkWithdrawn));
        Assert.Equal("duplicate case", Assert.Single(journal, e => e.Kind == JournalKind.InstanceCancelled).Message);
    }

    [Fact]
    public async Task Resume_AfterCancel_ReturnsConflict()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Child);
        var started = await engine.StartAsync("child");
        await engine.Runtime.CancelAsync(started.InstanceId!, Actor.System, cancellationToken: TestEngine.Cancellation);

        var resumed = await engine.ResumeAsync(started.Bookmarks[0].Id);

        Assert.Equal(StepStatus.Conflict, resumed.Status);
        Assert.Equal(ConflictReason.BookmarkConsumed, resumed.Conflict);
    }

    [Fact]
    public async Task Cancel_FinishedInstance_ReturnsNotActive()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Child);
        var started = await engine.StartAsync("child");
        await engine.CompleteAsync(started.Bookmarks[0].Id);

        var cancelled = await engine.Runtime.CancelAsync(started.InstanceId!, Actor.System, cancellationToken: TestEngine.Cancellation);

        Assert.Equal(StepStatus.NotActive, cancelled.Status);
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(started.InstanceId!));
    }

    [Fact]
    public async Task Cancel_UnknownInstance_ReturnsNotFound()
    {
        await using var engine = new TestEngine();

        var cancelled = await engine.Runtime.CancelAsync("nope", Actor.System, cancellationToken: TestEngine.Cancellation);

        Assert.Equal(StepStatus.NotFound, cancelled.Status);
    }
}
