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
}
