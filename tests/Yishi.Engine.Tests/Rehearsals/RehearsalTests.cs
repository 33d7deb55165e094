using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Rehearsals;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Time;

namespace Yishi.Engine.Tests.Rehearsals;

/// <summary>A designer tries a workflow on its own clock: a month of waiting in one call.</summary>
public sealed class RehearsalTests
{
    private const string Mediation = """
        {
          "definitionId": "mediation",
          "name": "Mediation with a cooling-off month",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "accept", "type": "HumanTask", "properties": { "title": "Accept", "assignee": { "role": "mediator" }, "due": { "workingDays": 5 } } },
            { "id": "cool", "type": "Delay", "properties": { "duration": "P30D" } },
            { "id": "check", "type": "Delay", "properties": { "duration": "P1D" } },
            { "id": "end", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "accept" }, { "from": "accept", "to": "cool" }, { "from": "cool", "to": "check" }, { "from": "check", "to": "end" } ]
        }
        """;

    private static WorkDuration Days(int days) => WorkDuration.TryParse(System.Text.Json.JsonDocument.Parse($"\"P{days}D\"").RootElement, out _)!;

    [Fact]
    public async Task Rehearsal_TaskThenAMonth_TimersFireAtTheirOwnTimes_IncludingOnesCreatedOnTheWay()
    {
        var (rehearsal, problems, _) = await Rehearsal.StartAsync(Mediation, null, TestEngine.Epoch, WorkingCalendar.China, cancellationToken: TestEngine.Cancellation);
        Assert.Empty(problems);
        await using var _ = rehearsal!;
        var task = Assert.Single((await rehearsal!.StateAsync(TestEngine.Cancellation)).Waiting);
        Assert.Equal(BookmarkKind.HumanTask, task.Kind);

        var completed = await rehearsal.CompleteAsync(task.Id, new ResumeInput(), TestEngine.Cancellation);
        var early = await rehearsal.AdvanceAsync(Days(10), WorkingCalendar.China, TestEngine.Cancellation);
        var done = await rehearsal.AdvanceAsync(Days(25), WorkingCalendar.China, TestEngine.Cancellation);

        Assert.True(completed.Succeeded, completed.Message);
        Assert.Equal(InstanceStatus.Waiting, early.Instance.Status);
        Assert.Equal(TestEngine.Epoch.AddDays(30), Assert.Single(early.Waiting).DueAt);
        Assert.Equal(InstanceStatus.Completed, done.Instance.Status);
        Assert.Equal(TestEngine.Epoch.AddDays(35), done.Now);
        // The second delay was created when the first fired, on day 30, so it fell due on day 31, within the same advance.
        var resumed = done.Journal.Where(e => e.Kind == JournalKind.BookmarkResumed).Select(e => e.At).ToList();
        Assert.Equal([TestEngine.Epoch, TestEngine.Epoch.AddDays(30), TestEngine.Epoch.AddDays(31)], resumed);
    }

    [Fact]
    public async Task Rehearsal_OfABrokenDefinition_AnswersItsProblems()
    {
        var (rehearsal, problems, _) = await Rehearsal.StartAsync("""{ "definitionId": "x", "name": "x", "activities": [], "connections": [] }""", null,
            TestEngine.Epoch, WorkingCalendar.China, cancellationToken: TestEngine.Cancellation);

        Assert.Null(rehearsal);
        Assert.NotEmpty(problems);
    }

    [Fact]
    public async Task Rehearsal_UnknownTask_IsNotFound()
    {
        var (rehearsal, _, _) = await Rehearsal.StartAsync(Mediation, null, TestEngine.Epoch, WorkingCalendar.China, cancellationToken: TestEngine.Cancellation);
        await using var _ = rehearsal!;

        var result = await rehearsal!.CompleteAsync("no-such-task", new ResumeInput(), TestEngine.Cancellation);

        Assert.Equal(Runtime.StepStatus.NotFound, result.Status);
    }

    private const string Proposal = """
        {
          "definitionId": "proposal",
          "name": "A proposal co-signed or lapsed",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "cosign", "type": "Cosign", "properties": { "topic": "加装电梯", "threshold": 10, "period": "P30D" } },
            { "id": "tell", "type": "Notify", "properties": { "template": "consultation/lapsed", "to": [ { "parties": "proposer" } ] } },
            { "id": "wait", "type": "Delay", "properties": { "duration": "P1D" } },
            { "id": "reached", "type": "End" },
            { "id": "lapsed", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "cosign" }, { "from": "cosign", "outcome": "reached", "to": "reached" },
            { "from": "cosign", "outcome": "lapsed", "to": "tell" }, { "from": "tell", "to": "wait" }, { "from": "wait", "to": "lapsed" } ]
        }
        """;

    [Fact]
    public async Task Rehearsal_HostWaitSettledByHand_TakesThatBranch_AndListsTheMessageItWouldSend()
    {
        var (rehearsal, problems, _) = await Rehearsal.StartAsync(Proposal, null, TestEngine.Epoch, WorkingCalendar.China, cancellationToken: TestEngine.Cancellation);
        Assert.Empty(problems);
        await using var _ = rehearsal!;
        var cosign = Assert.Single((await rehearsal!.StateAsync(TestEngine.Cancellation)).Waiting);

        var settled = await rehearsal.CompleteAsync(cosign.Id, new ResumeInput("lapsed"), TestEngine.Cancellation);
        var state = await rehearsal.StateAsync(TestEngine.Cancellation);

        Assert.True(settled.Succeeded, settled.Message);
        Assert.Equal(BookmarkKind.Cosign, cosign.Kind);
        var message = Assert.Single(state.Messages);
        Assert.Equal(Outbox.OutboxKinds.Notify, message.Kind);
        Assert.Equal("consultation/lapsed", message.Payload["template"]?.GetValue<string>());
        // The delay after the message is a timer: the clock moves it, a hand does not.
        var timer = Assert.Single(state.Waiting);
        Assert.Equal(BookmarkKind.Timer, timer.Kind);
        Assert.Equal(Runtime.StepStatus.NotFound, (await rehearsal.CompleteAsync(timer.Id, new ResumeInput(), TestEngine.Cancellation)).Status);
    }

    [Fact]
    public async Task Rehearsal_HostWaitWithAnOutcomeItDoesNotHave_IsRefused_AndWaitsOn()
    {
        var (rehearsal, _, _) = await Rehearsal.StartAsync(Proposal, null, TestEngine.Epoch, WorkingCalendar.China, cancellationToken: TestEngine.Cancellation);
        await using var _ = rehearsal!;
        var cosign = Assert.Single((await rehearsal!.StateAsync(TestEngine.Cancellation)).Waiting);

        var refused = await rehearsal.CompleteAsync(cosign.Id, new ResumeInput("passed"), TestEngine.Cancellation);

        Assert.False(refused.Succeeded);
        Assert.Equal(cosign.Id, Assert.Single((await rehearsal.StateAsync(TestEngine.Cancellation)).Waiting).Id);
    }
}
