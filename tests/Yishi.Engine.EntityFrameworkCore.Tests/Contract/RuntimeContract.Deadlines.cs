using Yishi.Engine.Outbox;
using Yishi.Engine.Runtime;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

public abstract partial class StoreContract<TProvider>
{
    private const string Deadlined = """
        { "definitionId": "deadlined", "name": "A task with a deadline",
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "handle", "type": "HumanTask", "properties": { "title": "Handle", "assignee": { "role": "mediator" }, "due": "P10D" } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "handle" }, { "from": "handle", "to": "end" } ] }
        """;

    [Fact]
    public async Task Deadlines_TwoSweepsAtOnce_RaiseEachWarningOnce_AndTheAlarmMovesOn()
    {
        await using var runtime = new WorkflowRuntime(Store, Clock, new WorkflowRuntimeOptions { CommitWriters = CommitWriters });
        Assert.True((await runtime.Definitions.PublishDocumentAsync(Deadlined, Ct)).Succeeded);
        var tasks = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            tasks.Add((await runtime.StartAsync(new StartRequest("deadlined"), Ct)).Bookmarks[0].Id);
        }

        Assert.Equal(Clock.GetUtcNow().AddDays(5), (await Store.FindBookmarkAsync(tasks[0], Ct))!.AlarmAt);
        Clock.Advance(TimeSpan.FromDays(5));
        var raised = await Task.WhenAll(runtime.RaiseDeadlineAlarmsAsync(cancellationToken: Ct), runtime.RaiseDeadlineAlarmsAsync(cancellationToken: Ct));

        Assert.Equal(12, raised.Sum());
        Assert.Equal(12, (await Store.ReadOutboxAsync(100, Ct)).Count(r => r.Kind == OutboxKinds.TaskDeadline));
        Assert.Equal(Clock.GetUtcNow().AddDays(3), (await Store.FindBookmarkAsync(tasks[0], Ct))!.AlarmAt);
    }

    [Fact]
    public async Task Deadlines_Extension_MovesTheDeadlineAndTheNextWarning()
    {
        await using var runtime = new WorkflowRuntime(Store, Clock, new WorkflowRuntimeOptions { CommitWriters = CommitWriters });
        Assert.True((await runtime.Definitions.PublishDocumentAsync(Deadlined, Ct)).Succeeded);
        var task = (await runtime.StartAsync(new StartRequest("deadlined"), Ct)).Bookmarks[0];
        var start = Clock.GetUtcNow();

        var extended = await runtime.ExtendDeadlineAsync(task.Id, Time.WorkDuration.TryParse(System.Text.Json.JsonDocument.Parse("\"P10D\"").RootElement, out _)!,
            Execution.Actor.User("u-wang", "mediator"), Ct);

        Assert.True(extended.Succeeded, extended.Message);
        var stored = await Store.FindBookmarkAsync(task.Id, Ct);
        Assert.Equal(start.AddDays(20), stored!.DueAt);
        Assert.Equal(start.AddDays(10), stored.AlarmAt);
    }
}
