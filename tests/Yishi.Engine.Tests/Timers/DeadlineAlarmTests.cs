using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Outbox;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Timers;

/// <summary>A task's deadline warns at shares of its time, once each, and may lead the case on when it passes.</summary>
public sealed class DeadlineAlarmTests
{
    private static string Case(string onOverdue, string warnings = "") => $$"""
        {
          "definitionId": "hotline",
          "name": "Hotline case",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "handle", "type": "HumanTask", "properties": { "title": "Handle", "assignee": { "role": "mediator" }, "due": "P10D", "onOverdue": "{{onOverdue}}"{{warnings}} } },
            {{(onOverdue == "leave" ? """{ "id": "escalate", "type": "HumanTask", "properties": { "title": "Escalated", "assignee": { "role": "supervisor" } } },""" : "")}}
            { "id": "end", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "handle" }, { "from": "handle", "outcome": "done", "to": "end" }
            {{(onOverdue == "leave" ? """, { "from": "handle", "outcome": "overdue", "to": "escalate" }, { "from": "escalate", "to": "end" }""" : "")}} ]
        }
        """;

    [Fact]
    public async Task Warnings_AtHalfAndAtTheDeadline_EachOnce_SkippedOnesNotRaisedLate()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Case("remind"));
        var started = await engine.StartAsync("hotline");
        var task = Assert.Single(started.Bookmarks);
        Assert.Equal(TestEngine.Epoch.AddDays(5), task.AlarmAt);

        var early = await engine.Runtime.RaiseDeadlineAlarmsAsync(cancellationToken: TestEngine.Cancellation);
        engine.Clock.Advance(TimeSpan.FromDays(5));
        var half = await engine.Runtime.RaiseDeadlineAlarmsAsync(cancellationToken: TestEngine.Cancellation);
        var again = await engine.Runtime.RaiseDeadlineAlarmsAsync(cancellationToken: TestEngine.Cancellation);
        var afterHalf = await engine.Store.FindBookmarkAsync(task.Id, TestEngine.Cancellation);
        engine.Clock.Advance(TimeSpan.FromDays(6)); // past 80 % and 100 % at once
        var late = await engine.Runtime.RaiseDeadlineAlarmsAsync(cancellationToken: TestEngine.Cancellation);

        Assert.Equal((0, 1, 0, 1), (early, half, again, late));
        Assert.Equal(TestEngine.Epoch.AddDays(8), afterHalf!.AlarmAt);
        var warnings = (await engine.Runtime.ReadJournalAsync(started.InstanceId!, cancellationToken: TestEngine.Cancellation))
            .Where(e => e.Kind == JournalKind.DeadlineReached).Select(e => e.Message).ToList();
        Assert.Equal(["50%", "100%"], warnings);
        var rows = await engine.Store.ReadOutboxAsync(10, TestEngine.Cancellation);
        Assert.Equal([50, 100], rows.Where(r => r.Kind == OutboxKinds.TaskDeadline).Select(r => r.Payload["percent"]!.GetValue<int>()));
        var stillOpen = await engine.Store.FindBookmarkAsync(task.Id, TestEngine.Cancellation);
        Assert.Null(stillOpen!.ConsumedAt);
        Assert.Null(stillOpen.AlarmAt);
    }

    [Fact]
    public async Task OnOverdueLeave_AtTheDeadline_TheTaskLeavesByOverdue_ToTheEscalation()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Case("leave"));
        var started = await engine.StartAsync("hotline");
        Assert.DoesNotContain("overdue", started.Bookmarks[0].Payload!["outcomes"]!.AsArray().Select(o => o!.GetValue<string>()));

        engine.Clock.Advance(TimeSpan.FromDays(10));
        await engine.Runtime.RaiseDeadlineAlarmsAsync(cancellationToken: TestEngine.Cancellation);

        var open = await engine.OpenBookmarkAsync(started.InstanceId!, "escalate");
        Assert.Equal("supervisor", open.Role);
        var journal = await engine.Runtime.ReadJournalAsync(started.InstanceId!, cancellationToken: TestEngine.Cancellation);
        Assert.Contains(journal, e => e.Kind == JournalKind.BookmarkResumed && e.Outcome == "overdue");
    }

    [Fact]
    public async Task OnOverdueLeave_WithWarningsThatStopShortOfTheDeadline_StillLeavesAtIt()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Case("leave", """, "warnings": [50, 80]"""));
        var started = await engine.StartAsync("hotline");

        engine.Clock.Advance(TimeSpan.FromDays(8));
        await engine.Runtime.RaiseDeadlineAlarmsAsync(cancellationToken: TestEngine.Cancellation);
        var beforeDeadline = await engine.StatusAsync(started.InstanceId!);
        engine.Clock.Advance(TimeSpan.FromDays(2));
        await engine.Runtime.RaiseDeadlineAlarmsAsync(cancellationToken: TestEngine.Cancellation);

        Assert.Equal(InstanceStatus.Waiting, beforeDeadline);
        Assert.Equal("supervisor", (await engine.OpenBookmarkAsync(started.InstanceId!, "escalate")).Role);
    }

    [Fact]
    public async Task Overdue_IsNotAPersonsChoice()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Case("leave"));
        var started = await engine.StartAsync("hotline");

        var chosen = await engine.ResumeAsync(started.Bookmarks[0].Id, "overdue", actor: Actor.User("u-1", "mediator"));

        Assert.Equal(StepStatus.Forbidden, chosen.Status);
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(started.InstanceId!));
    }

    [Fact]
    public async Task TwoSweepsAtOnce_RaiseEachWarningOnce()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Case("remind"));
        for (var i = 0; i < 20; i++)
        {
            await engine.StartAsync("hotline");
        }

        engine.Clock.Advance(TimeSpan.FromDays(5));
        var raised = await Task.WhenAll(
            engine.Runtime.RaiseDeadlineAlarmsAsync(cancellationToken: TestEngine.Cancellation),
            engine.Runtime.RaiseDeadlineAlarmsAsync(cancellationToken: TestEngine.Cancellation));

        Assert.Equal(20, raised.Sum());
        Assert.Equal(20, (await engine.Store.ReadOutboxAsync(100, TestEngine.Cancellation)).Count(r => r.Kind == OutboxKinds.TaskDeadline));
    }

    [Theory]
    [InlineData("""{ "due": "P3D", "warnings": [0, 50] }""", "warnings")]
    [InlineData("""{ "due": "P3D", "warnings": "soon" }""", "warnings")]
    [InlineData("""{ "onOverdue": "leave" }""", "onOverdue")]
    public async Task BadDeadlineSettings_AreRefusedAtTheProperty(string extra, string property)
    {
        await using var engine = new TestEngine();
        var properties = Json.Object(extra);
        properties["title"] = "Handle";
        var definition = $$"""
            { "definitionId": "bad", "name": "Bad",
              "activities": [ { "id": "start", "type": "Start" }, { "id": "handle", "type": "HumanTask", "properties": {{properties.ToJsonString()}} }, { "id": "end", "type": "End" } ],
              "connections": [ { "from": "start", "to": "handle" }, { "from": "handle", "to": "end" } ] }
            """;

        var result = await engine.Runtime.Definitions.PublishDocumentAsync(definition, TestEngine.Cancellation);

        Assert.False(result.Succeeded);
        Assert.Contains(result.Problems, p => p.IsError && p.Property == property);
    }
}
