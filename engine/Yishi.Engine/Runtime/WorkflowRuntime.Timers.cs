using System.Collections.Concurrent;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Microsoft.Extensions.Logging;
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
