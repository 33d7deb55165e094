using System.Globalization;
using System.Text.Json.Nodes;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Time;

namespace Yishi.Engine.Runtime;

/// <summary>A task's deadline that a change of the working calendar moved.</summary>
/// <param name="BookmarkId">The task.</param>
/// <param name="InstanceId">Its case.</param>
/// <param name="From">The deadline before.</param>
/// <param name="To">The deadline now.</param>
public sealed record MovedDeadline(string BookmarkId, string InstanceId, DateTimeOffset From, DateTimeOffset To);

public sealed partial class WorkflowRuntime
{
    private const int RecountPage = 500;

    /// <summary>
    /// After an administrator changed <paramref name="day"/> in the working calendar (the engine's calendar already counts
    /// with the change; <paramref name="before"/> counts as it did before), moves the deadlines of open tasks that were set
    /// in working days and span that day, so each keeps the number of working days it was given: a new day off moves it one
    /// working day later, a weekend day made a working day one earlier. Each move is journalled in its case and the warnings
    /// start again from the new deadline, as with an extension. Deadlines in elapsed time (days, hours) or working hours,
    /// and deadlines already past, stay. <paramref name="scopePrefix"/> limits the search to a unit's cases.
    /// </summary>
    public async Task<IReadOnlyList<MovedDeadline>> RecountDeadlinesAsync(IWorkingCalendar before, DateOnly day, string? scopePrefix = null,
        CancellationToken cancellationToken = default)
    {
        // Only tasks due on or after the changed day can span it; a day of margin covers any time zone's offset.
        var cursor = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1);
        var now = _clock.GetUtcNow();
        if (cursor < now)
        {
            cursor = now;
        }

        var candidates = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (true)
        {
            var page = await _store.QueryBookmarksAsync(
                new BookmarkQuery { Kind = BookmarkKind.HumanTask, DueFrom = cursor, ScopePrefix = scopePrefix, Limit = RecountPage }, cancellationToken);
            candidates.AddRange(page.Where(b => seen.Add(b.Id)).Select(b => b.Id));
            if (page.Count < RecountPage)
            {
                break;
            }

            // Pages are ordered by deadline; a page whose tasks all share one deadline must still move the cursor on.
            var last = page[^1].DueAt!.Value;
            cursor = last > cursor ? last : cursor.AddTicks(TimeSpan.TicksPerMillisecond);
        }

        var moved = new List<MovedDeadline>();
        foreach (var id in candidates)
        {
            if (await RecountAsync(id, before, cancellationToken) is { } move)
            {
                moved.Add(move);
            }
        }

        return moved;
    }

    private async Task<MovedDeadline?> RecountAsync(string bookmarkId, IWorkingCalendar before, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt <= _options.MaxConflictRetries; attempt++)
        {
            if (await _store.FindBookmarkWithInstanceAsync(bookmarkId, cancellationToken) is not var (task, instance)
                || task is not { Kind: BookmarkKind.HumanTask, ConsumedAt: null, DueAt: { } due } || instance.Status != InstanceStatus.Waiting)
            {
                return null;
            }

            var graph = await GraphOfAsync(instance, cancellationToken);
            var activity = graph[task.ActivityId].Activity;
            if (activity.Property("due") is not { } given || WorkDuration.TryParse(given, out _) is not { Unit: DurationUnit.WorkingDays })
            {
                return null;
            }

            var session = new ExecutionSession(instance, graph, _clock.GetUtcNow(), Actor.System, _services);
            if (due <= session.Now)
            {
                return null;
            }

            var after = session.Calendar;
            var (start, end) = (after.DayOf(task.CreatedAt), after.DayOf(due));
            var shift = before.For(instance.Scope).CountWorkingDays(start, end) - after.CountWorkingDays(start, end);
            if (shift == 0)
            {
                return null;
            }

            var newDue = after.AddWorkingDays(due, shift);
            var alarm = HumanTaskActivity.NextWarning(activity, task.CreatedAt, newDue, session.Now);
            session.Record(JournalKind.DeadlineRecounted, task.ActivityId, task.ActivityType, bookmarkId: task.Id,
                message: newDue.ToString("O", CultureInfo.InvariantCulture), data: new JsonObject { ["from"] = due.ToString("O", CultureInfo.InvariantCulture) });
            var commit = StepCommits.Build([session], StepExtras.None) with { DeadlineChanges = [new DeadlineChange(task.Id, due, newDue, alarm)] };
            var outcome = await _committer.CommitAsync(commit, cancellationToken);
            switch (outcome.Conflict)
            {
                case null when outcome.Committed:
                    return new MovedDeadline(task.Id, instance.Id, due, newDue);
                case ConflictReason.InstanceChanged or ConflictReason.DeadlineChanged:
                    continue;
                default:
                    // Completed meanwhile, or the store failed: the task keeps the deadline it had.
                    return null;
            }
        }

        return null;
    }
}
