using System.Globalization;
using System.Text.Json;
using Yishi.Engine.Definitions;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;
using Yishi.Server.Inbox;

namespace Yishi.Server.Timers;

/// <summary>
/// Passes the engine's deadline warnings (outbox rows) on to people's inboxes: the task's assignee, or the
/// holders of its role in the case's org unit and the units above. A row is marked done after its notices are
/// in; a crash between the two sends nothing twice, because each notice's key is the row's id.
/// </summary>
internal sealed class DeadlineNotices(IWorkflowStore store, IServiceScopeFactory scopes)
{
    private const int Batch = 200;

    /// <summary>Delivers the pending warnings; answers how many rows it carried out.</summary>
    public async Task<int> DeliverAsync(CancellationToken cancellationToken)
    {
        var rows = await store.ReadOutboxAsync(Batch, OutboxKinds.TaskDeadline, cancellationToken);
        if (rows.Count == 0)
        {
            return 0;
        }

        await using var scope = scopes.CreateAsyncScope();
        var notices = scope.ServiceProvider.GetRequiredService<Notices>();
        foreach (var row in rows)
        {
            var notice = NoticeOf(row);
            var payload = row.Payload;
            if (payload["userId"]?.GetValue<string>() is { } userId)
            {
                await notices.SendToUserAsync(userId, notice, cancellationToken);
            }
            else if (payload["role"]?.GetValue<string>() is { } role)
            {
                await notices.SendToRoleOverPathAsync(role, payload["scope"]?.GetValue<string>() ?? "/", notice, cancellationToken);
            }

            await store.CommitAsync([new WorkflowCommit { CompletedOutboxIds = [row.Id] }], cancellationToken);
        }

        return rows.Count;
    }

    private static Notice NoticeOf(OutboxMessage row)
    {
        var payload = row.Payload;
        var percent = payload["percent"]?.GetValue<int>() ?? 100;
        var title = payload["title"]?.Deserialize<LocalizedText>() ?? LocalizedText.Invariant("");
        var (zh, en) = (title.Get("zh-CN"), title.Get("en"));
        var due = payload["dueAt"]?.GetValue<DateTimeOffset>() is { } at ? at.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "";
        var reached = percent >= 100;
        return new Notice(
            "task-deadline",
            "task-deadline:" + row.Id,
            reached ? $"任务“{zh}”已到办理期限" : $"任务“{zh}”已过办理期限的 {percent}%",
            reached ? $"The task “{en}” has reached its deadline" : $"The task “{en}” has used {percent}% of its time",
            $"办理期限：{due}（北京时间）。",
            $"Deadline: {due} (China time).",
            $"/api/tasks/{payload["bookmarkId"]?.GetValue<string>()}");
    }
}
