using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Time;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Rehearsals;

/// <summary>Where a rehearsal stands: its clock, its instance, the open waits and everything that happened.</summary>
/// <param name="Now">The rehearsal's time.</param>
/// <param name="Instance">The rehearsed instance.</param>
/// <param name="Waiting">Its open tasks, timers and waits.</param>
/// <param name="Journal">What happened, in order.</param>
public sealed record RehearsalState(DateTimeOffset Now, WorkflowInstance Instance, ImmutableArray<Bookmark> Waiting, ImmutableArray<JournalEntry> Journal);

/// <summary>
/// One instance of a definition run in isolation: its own in-memory store (no real case, no real database row
/// is touched) and its own clock, which <see cref="AdvanceAsync"/> moves forward so that weeks of deadlines and
/// timers can be tried in seconds. Tasks are completed on behalf of whoever they are for.
/// </summary>
public sealed class Rehearsal : IAsyncDisposable
{
    private readonly WorkflowRuntime _runtime;
    private readonly RehearsalClock _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private Rehearsal(WorkflowRuntime runtime, RehearsalClock clock, string instanceId)
    {
        _runtime = runtime;
        _clock = clock;
        InstanceId = instanceId;
    }

    /// <summary>The rehearsed instance.</summary>
    public string InstanceId { get; }

    /// <summary>
    /// Publishes <paramref name="definitionJson"/> in a store of its own and starts it at <paramref name="now"/>.
    /// Answers the rehearsal, or the problems that stop the definition or the input.
    /// </summary>
    public static async Task<(Rehearsal? Rehearsal, ImmutableArray<ValidationProblem> Problems, string? Message)> StartAsync(string definitionJson, JsonObject? input,
        DateTimeOffset now, IWorkingCalendar calendar, ActivityRegistry? registry = null, CancellationToken cancellationToken = default)
    {
        var clock = new RehearsalClock(now);
        var runtime = new WorkflowRuntime(new InMemoryWorkflowStore(), clock, registry: registry, calendar: calendar);
        var published = await runtime.Definitions.PublishDocumentAsync(definitionJson, cancellationToken);
        if (!published.Succeeded)
        {
            await runtime.DisposeAsync();
            return (null, published.Problems, "The definition has errors.");
        }

        var started = await runtime.StartAsync(new StartRequest(published.Version!.DefinitionId, input, Actor: Actor.System), cancellationToken);
        if (!started.Succeeded)
        {
            await runtime.DisposeAsync();
            return (null, started.Problems, started.Message);
        }

        return (new Rehearsal(runtime, clock, started.InstanceId!), [], null);
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="duration"/> (working days count with the calendar). Every timer
    /// due on the way fires at its own due time, in order, including timers the fired steps create.
    /// </summary>
    public async Task<RehearsalState> AdvanceAsync(WorkDuration duration, IWorkingCalendar calendar, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var target = duration.AddTo(_clock.GetUtcNow(), calendar);
            while (await _runtime.NextTimerDueAsync(cancellationToken) is { } next && next <= target)
            {
                _clock.MoveTo(next);
                await _runtime.FireDueTimersAsync(cancellationToken: cancellationToken);
            }

            _clock.MoveTo(target);
            return await StateAsync(cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Completes a task as whoever it is for would.</summary>
    public async Task<StepResult> CompleteAsync(string taskId, ResumeInput input, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var task = await _runtime.QueryBookmarksAsync(new BookmarkQuery { InstanceId = InstanceId, Kind = BookmarkKind.HumanTask }, cancellationToken);
            if (!task.Any(t => t.Id == taskId))
            {
                // Only this rehearsal's own tasks, and only people's: timers move with the clock.
                return StepResult.Fail(StepStatus.NotFound, $"The rehearsal has no open task '{taskId}'.");
            }

            return await _runtime.ResumeAsync(new ResumeRequest(taskId, input, Actor.System), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Where it stands.</summary>
    public async Task<RehearsalState> StateAsync(CancellationToken cancellationToken = default)
    {
        var instance = await _runtime.FindInstanceAsync(InstanceId, cancellationToken) ?? throw new InvalidOperationException("The rehearsed instance is gone.");
        var waiting = await _runtime.QueryBookmarksAsync(new BookmarkQuery { InstanceId = InstanceId, Limit = 1000 }, cancellationToken);
        var journal = await _runtime.ReadJournalAsync(InstanceId, 0, 10_000, cancellationToken);
        return new RehearsalState(_clock.GetUtcNow(), instance, [.. waiting], [.. journal]);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _runtime.DisposeAsync();
        _gate.Dispose();
    }
}
