using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

/// <summary>What happens to work that a step takes out of play, and who may resume what.</summary>
public sealed class WithdrawalTests
{
    private const string Signature = """
        { "definitionId": "signature", "name": "Signature", "activities": [
            { "id": "start", "type": "Start" },
            { "id": "sign", "type": "HumanTask", "properties": { "title": "Sign", "assignee": { "role": "party" } } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "sign" }, { "from": "sign", "to": "end" } ] }
        """;

    /// <summary>A child races a deadline; the deadline wins through a join 'any'.</summary>
    private const string RaceWithDeadline = """
        { "definitionId": "race", "name": "Race", "activities": [
            { "id": "start", "type": "Start" },
            { "id": "fork", "type": "Fork", "properties": { "branches": ["work", "clock"] } },
            { "id": "child", "type": "SubWorkflow", "properties": { "definitionId": "signature" } },
            { "id": "deadline", "type": "Delay", "properties": { "duration": "P3D" } },
            { "id": "first", "type": "Join", "properties": { "mode": "any" } },
            { "id": "end", "type": "End" } ],
          "connections": [
            { "from": "start", "to": "fork" },
            { "from": "fork", "outcome": "work", "to": "child" }, { "from": "fork", "outcome": "clock", "to": "deadline" },
            { "from": "child", "to": "first" }, { "from": "child", "outcome": "cancelled", "to": "first" }, { "from": "deadline", "to": "first" },
            { "from": "first", "to": "end" } ] }
        """;

    [Fact]
    public async Task JoinAny_WithdrawingABranchThatWaitsOnAChild_CancelsTheChild()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Signature);
        await engine.PublishAsync(RaceWithDeadline);
        var started = await engine.StartAsync("race");
        var timer = Assert.Single(started.Bookmarks, b => b.Kind == BookmarkKind.Timer);
        var childId = Assert.Single(started.Bookmarks, b => b.Kind == BookmarkKind.SubWorkflow).ChildInstanceId!;

        engine.Clock.Advance(TimeSpan.FromDays(3));
        var fired = await engine.CompleteAsync(timer.Id);

        Assert.Equal(InstanceStatus.Completed, fired.InstanceStatus);
        var child = await engine.InstanceAsync(childId);
        Assert.Equal(InstanceStatus.Cancelled, child.Status);
        Assert.Empty(await engine.OpenBookmarksAsync(childId));
    }

    [Fact]
    public async Task Resume_TimerByAPerson_IsForbidden_AndTheTimerStaysOpen()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Signature);
        await engine.PublishAsync(RaceWithDeadline);
        var started = await engine.StartAsync("race");
        var timer = Assert.Single(started.Bookmarks, b => b.Kind == BookmarkKind.Timer);

        var byPerson = await engine.ResumeAsync(timer.Id, actor: Actor.User("u-1", "mediator", "admin"));
        var byNamesake = await engine.ResumeAsync(timer.Id, actor: Actor.User("system"));

        Assert.Equal(StepStatus.Forbidden, byPerson.Status);
        Assert.Equal(StepStatus.Forbidden, byNamesake.Status);
        Assert.Contains(await engine.OpenBookmarksAsync(started.InstanceId!), b => b.Id == timer.Id);
    }

    [Fact]
    public async Task Start_WhenAnEarlyMessageCompletesTheInstanceAtOnce_ReportsTheStateAfterIt()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            { "definitionId": "reply", "name": "Reply", "activities": [
                { "id": "start", "type": "Start" },
                { "id": "wait", "type": "WaitForMessage", "properties": { "message": "hotline.reply" } },
                { "id": "end", "type": "End", "properties": { "result": "\"answered\"" } } ],
              "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ] }
            """);
        var early = await engine.Runtime.PublishMessageAsync("hotline.reply", "T-7", cancellationToken: TestEngine.Cancellation);

        var started = await engine.StartAsync("reply", correlationKey: "T-7");

        Assert.NotNull(early.StoredMessageId);
        Assert.Equal(InstanceStatus.Completed, started.InstanceStatus);
        Assert.Empty(started.Bookmarks);
        Assert.Equal("answered", started.Result!.GetValue<string>());
        Assert.Empty(await engine.Runtime.QueryBookmarksAsync(new BookmarkQuery { InstanceId = started.InstanceId }, TestEngine.Cancellation));
    }
}
