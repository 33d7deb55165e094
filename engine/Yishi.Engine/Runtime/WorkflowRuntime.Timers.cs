using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Runtime;

/// <summary>A timer that fired: when it was due, and when its resume was committed.</summary>
/// <param name="BookmarkId">The timer.</param>
/// <param name="InstanceId">Its instance.</param>
/// <param name="DueAt">When it was due.</param>
/// <param name="FiredAt">When the resume it caused was committed.</param>
public sealed record FiredTimer(string BookmarkId, string InstanceId, DateTimeOffset DueAt, DateTimeOffset FiredAt)
{
    /// <summary>How late it fired.</summary>
    public TimeSpan Lateness => FiredAt - DueAt;
}

/// <summary>What one sweep over the due timers did.</summary>
/// <param name="Fired">The timers it fired.</param>
/// <param name="Due">How many it found due (some may have been fired elsewhere first).</param>
/// <param name="More">The sweep stopped at its limit: more timers may be due right now.</param>
public sealed record TimerSweep(IReadOnlyList<FiredTimer> Fired, int Due, bool More);

public sealed partial class WorkflowRuntime
{
    /// <summary>
    /// Raised after a step that created a timer was committed, with the timer's due time: a sweeper waiting for
    /// a later timer wakes up for it.
    /// </summary>
    public event Action<DateTimeOffset>? TimerScheduled;

    /// <summary>
    /// Fires the timers due now, earliest first, at most <paramref name="limit"/>, resuming their instances in
    /// parallel so that group commit writes them in few transactions. Firing is idempotent: a timer that another
    /// sweep or another node fired first answers a conflict and is skipped, so each timer resumes its instance once.
    /// </summary>
    public async Task<TimerSweep> FireDueTimersAsync(int limit = 1000, CancellationToken cancellationToken = default)
    {
        // DueBefore is strict: a timer due exactly now is due.
        var due = await _store.QueryBookmarksAsync(
            new BookmarkQuery { Kind = BookmarkKind.Timer, DueBefore = _clock.GetUtcNow().AddTicks(1), Limit = limit }, cancellationToken);
        var fired = new ConcurrentBag<FiredTimer>();
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.TimerParallelism, CancellationToken = cancellationToken },
            async (timer, ct) =>
            {
                var result = await ResumeCoreAsync(timer.Id, new ResumeInput(null, null), Actor.System, StepExtras.None, ct);
                if (result.Succeeded)
                {
                    fired.Add(new FiredTimer(timer.Id, timer.InstanceId, timer.DueAt!.Value, _clock.GetUtcNow()));
                }
                else if (result.Conflict is not (ConflictReason.BookmarkConsumed or ConflictReason.InstanceChanged) && result.Status != StepStatus.NotActive)
                {
                    LogTimerNotFired(_logger, timer.Id, timer.InstanceId, result.Status, result.Message);
                }
            });
        return new TimerSweep([.. fired.OrderBy(f => f.DueAt)], due.Count, due.Count == limit);
    }

    /// <summary>
    /// Raises the deadline warnings of open tasks that are due now: a journal entry and an outbox row
    /// (<see cref="Outbox.OutboxKinds.TaskDeadline"/>) for the host to tell people, each once. When a task's
    /// deadline itself passes and its activity says <c>onOverdue: leave</c>, the task leaves by the outcome
    /// <c>overdue</c>. A warning skipped while nothing ran (the server was down) is not raised late: only the
    /// latest share reached is.
    /// </summary>
    public async Task<int> RaiseDeadlineAlarmsAsync(int limit = 1000, CancellationToken cancellationToken = default)
    {
        var due = await _store.QueryBookmarksAsync(
            new BookmarkQuery { Kind = BookmarkKind.HumanTask, AlarmBefore = _clock.GetUtcNow().AddTicks(1), Limit = limit }, cancellationToken);
        var raised = 0;
        await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = _options.TimerParallelism, CancellationToken = cancellationToken },
            async (task, ct) =>
            {
                if (await RaiseAlarmAsync(task.Id, ct))
                {
                    Interlocked.Increment(ref raised);
                }
            });
        return raised;
    }

    private async Task<bool> RaiseAlarmAsync(string bookmarkId, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt <= _options.MaxConflictRetries; attempt++)
        {
            if (await _store.FindBookmarkWithInstanceAsync(bookmarkId, cancellationToken) is not var (task, instance)
                || task is not { ConsumedAt: null, AlarmAt: { } alarm, DueAt: { } dueAt } || instance.Status != InstanceStatus.Waiting)
            {
                return false;
            }

            // Read again after a conflict: another sweep may have raised this warning meanwhile and moved the alarm on.
            var now = _clock.GetUtcNow();
            if (alarm > now)
            {
                return false;
            }

            var graph = await GraphOfAsync(instance, cancellationToken);
            var activity = graph[task.ActivityId].Activity;
            var warnings = HumanTaskActivity.Warnings(activity);
            var reached = warnings.Where(p => HumanTaskActivity.WarningTime(task.CreatedAt, dueAt, p) <= now).DefaultIfEmpty(0).Max();
            if (reached == 0)
            {
                return false;
            }

            var next = HumanTaskActivity.NextWarning(activity, task.CreatedAt, dueAt, now);
            var session = new ExecutionSession(instance, graph, now, Actor.System, _services);
            var percent = reached.ToString(System.Globalization.CultureInfo.InvariantCulture);
            session.Record(JournalKind.DeadlineReached, task.ActivityId, task.ActivityType, bookmarkId: task.Id, message: percent + "%");
            session.Outbox.Add(new OutboxMessage(session.NextId("o"), instance.Id, OutboxKinds.TaskDeadline, new JsonObject
            {
                ["bookmarkId"] = task.Id,
                ["activityId"] = task.ActivityId,
                ["definitionId"] = instance.DefinitionId,
                ["definitionVersion"] = instance.DefinitionVersion,
                ["percent"] = reached,
                ["dueAt"] = dueAt,
                ["role"] = task.Role,
                ["userId"] = task.UserId,
                ["scope"] = instance.Scope,
                ["title"] = task.Payload?["title"]?.DeepClone(),
            }, now));
            var commit = StepCommits.Build([session], StepExtras.None) with { Alarms = [new AlarmMove(task.Id, alarm, next)] };
            var outcome = await _committer.CommitAsync(commit, cancellationToken);
            if (outcome.Conflict == ConflictReason.InstanceChanged)
            {
                continue;
            }

            if (!outcome.Committed)
            {
                return false;
            }

            if (reached == 100 && HumanTaskActivity.LeavesWhenOverdue(activity))
            {
                await ResumeCoreAsync(task.Id, new ResumeInput(HumanTaskActivity.OverdueOutcome), Actor.System, StepExtras.None, cancellationToken);
            }

            return true;
        }

        return false;
    }

    /// <summary>When the earliest open timer is due, or null when none waits.</summary>
    public async Task<DateTimeOffset?> NextTimerDueAsync(CancellationToken cancellationToken = default) =>
        (await _store.QueryBookmarksAsync(new BookmarkQuery { Kind = BookmarkKind.Timer, Limit = 1 }, cancellationToken)) is [var first, ..] ? first.DueAt : null;

    private void AnnounceTimers(List<ExecutionSession> sessions)
    {
        if (TimerScheduled is not { } listeners)
        {
            return;
        }

        DateTimeOffset? earliest = null;
        foreach (var bookmark in sessions.SelectMany(s => s.CreatedBookmarks))
        {
            if (bookmark is { Kind: BookmarkKind.Timer, DueAt: { } due } && (earliest is null || due < earliest))
            {
                earliest = due;
            }
        }

        if (earliest is { } first)
        {
            listeners(first);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Timer {BookmarkId} of instance {InstanceId} did not fire: {Status} {Reason}")]
    private static partial void LogTimerNotFired(ILogger logger, string bookmarkId, string instanceId, StepStatus status, string? reason);
}
