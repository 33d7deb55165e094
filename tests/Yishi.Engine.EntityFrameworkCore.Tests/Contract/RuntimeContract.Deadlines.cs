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
}
