using System.Text.Json;
using Yishi.Engine.Execution;
using Yishi.Engine.Journal;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Time;

namespace Yishi.Engine.Tests.Timers;

/// <summary>A task's deadline moves later by the assignee, or by a supervisor's approval where the workflow asks for it.</summary>
public sealed class DeadlineExtensionTests
{
    private static readonly Actor Mediator = Actor.User("u-wang", "mediator");

    private static string Case(string extensions) => $$"""
        { "definitionId": "hotline", "name": "Hotline case",
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "handle", "type": "HumanTask", "properties": { "title": "Handle", "assignee": { "role": "mediator" }, "due": "P10D", "extensions": "{{extensions}}" } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "handle" }, { "from": "handle", "to": "end" } ] }
        """;

    private static WorkDuration Days(int days) => WorkDuration.TryParse(JsonDocument.Parse($"\"P{days}D\"").RootElement, out _)!;

    [Fact]
    public async Task Allowed_TheAssigneeExtends_TheWarningsStartAgainFromTheNewDeadline()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Case("allowed"));
        var task = (await engine.StartAsync("hotline")).Bookmarks[0];
        engine.Clock.Advance(TimeSpan.FromDays(6));
        await engine.Runtime.RaiseDeadlineAlarmsAsync(cancellationToken: TestEngine.Cancellation); // 50 % raised, next at 80 % = day 8

        var extended = await engine.Runtime.ExtendDeadlineAsync(task.Id, Days(10), Mediator, TestEngine.Cancellation);

        Assert.True(extended.Succeeded, extended.Message);
        var stored = await engine.Store.FindBookmarkAsync(task.Id, TestEngine.Cancellation);
        Assert.Equal(TestEngine.Epoch.AddDays(20), stored!.DueAt);
        Assert.Equal(TestEngine.Epoch.AddDays(10), stored.AlarmAt); // 50 % of the new span, still ahead
        var journal = await engine.Runtime.ReadJournalAsync(task.InstanceId, cancellationToken: TestEngine.Cancellation);
        Assert.Single(journal, e => e.Kind == JournalKind.DeadlineExtended);
    }

    [Fact]
    public async Task Approval_APersonCannotExtend_TheSystemCanOnceApproved()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Case("approval"));
        var task = (await engine.StartAsync("hotline")).Bookmarks[0];

        var byPerson = await engine.Runtime.ExtendDeadlineAsync(task.Id, Days(5), Mediator, TestEngine.Cancellation);
        var approved = await engine.Runtime.ExtendDeadlineAsync(task.Id, Days(5), Actor.System, TestEngine.Cancellation);

        Assert.Equal(StepStatus.Forbidden, byPerson.Status);
        Assert.True(approved.Succeeded, approved.Message);
        Assert.Equal(TestEngine.Epoch.AddDays(15), approved.Bookmarks[0].DueAt);
        Assert.Equal("approval", await engine.Runtime.ExtensionPolicyAsync(task.Id, TestEngine.Cancellation));
    }

    [Fact]
    public async Task None_NobodyExtends()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Case("none"));
        var task = (await engine.StartAsync("hotline")).Bookmarks[0];

        var byPerson = await engine.Runtime.ExtendDeadlineAsync(task.Id, Days(5), Mediator, TestEngine.Cancellation);
        var bySystem = await engine.Runtime.ExtendDeadlineAsync(task.Id, Days(5), Actor.System, TestEngine.Cancellation);

        Assert.Equal((StepStatus.Forbidden, StepStatus.Forbidden), (byPerson.Status, bySystem.Status));
        Assert.Equal(TestEngine.Epoch.AddDays(10), (await engine.Store.FindBookmarkAsync(task.Id, TestEngine.Cancellation))!.DueAt);
    }
}
