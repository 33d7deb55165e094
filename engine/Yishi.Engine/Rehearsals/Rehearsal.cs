using System.Collections.Immutable;
using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Outbox;
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
/// <param name="Messages">What the host would have been asked to send or print (Notify, deadline warnings, documents), oldest first: a rehearsal sends nothing.</param>
public sealed record RehearsalState(DateTimeOffset Now, WorkflowInstance Instance, ImmutableArray<Bookmark> Waiting, ImmutableArray<JournalEntry> Journal,
    ImmutableArray<OutboxMessage> Messages);

/// <summary>
/// One instance of a definition run in isolation: its own in-memory store (no real case, no real database row
/// is touched) and its own clock, which <see cref="AdvanceAsync"/> moves forward so that weeks of deadlines and
/// timers can be tried in seconds. Tasks are completed on behalf of whoever they are for.
/// </summary>
public sealed class Rehearsal : IAsyncDisposable
{
    private readonly WorkflowRuntime _runtime;
    private readonly InMemoryWorkflowStore _store;
    private readonly RehearsalClock _clock;
    private readonly SemaphoreSlim _gate = new(1, 1);

    private Rehearsal(WorkflowRuntime runtime, InMemoryWorkflowStore store, RehearsalClock clock, string instanceId, LocalizedText workflowName)
    {
        WorkflowName = workflowName;
        _runtime = runtime;
        _store = store;
        _clock = clock;
        InstanceId = instanceId;
    }

    /// <summary>The rehearsed instance.</summary>
    public string InstanceId { get; }

    /// <summary>The rehearsed workflow's name, as its messages print it.</summary>
    public LocalizedText WorkflowName { get; }

    /// <summary>
    /// Publishes <paramref name="definitionJson"/> in a store of its own and starts it at <paramref name="now"/>.
    /// Answers the rehearsal, or the problems that stop the definition or the input.
    /// </summary>
    public static async Task<(Rehearsal? Rehearsal, ImmutableArray<ValidationProblem> Problems, string? Message)> StartAsync(string definitionJson, JsonObject? input,
        DateTimeOffset now, IWorkingCalendar calendar, ActivityRegistry? registry = null, CancellationToken cancellationToken = default)
    {
        var clock = new RehearsalClock(now);
        var store = new InMemoryWorkflowStore();
        var runtime = new WorkflowRuntime(store, clock, registry: registry, calendar: calendar);
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

        var name = runtime.Definitions.Check(definitionJson).Definition?.Name ?? LocalizedText.Invariant(published.Version.DefinitionId);
        return (new Rehearsal(runtime, store, clock, started.InstanceId!, name), [], null);
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

    /// <summary>
    /// The waits a rehearsal settles by hand: a person's task, and what the server or the outside world would answer
    /// (a message, a ballot's count, a consultation's summary, a co-signing's end). Timers move with the clock instead,
    /// and a sub-workflow ends when its own steps do.
    /// </summary>
    public static readonly IReadOnlySet<BookmarkKind> Settled = new HashSet<BookmarkKind>
    {
        BookmarkKind.HumanTask, BookmarkKind.Message, BookmarkKind.Ballot, BookmarkKind.Consultation, BookmarkKind.Cosign,
    };

    private static readonly HashSet<string> SentKinds = new(StringComparer.Ordinal) { OutboxKinds.Notify, OutboxKinds.TaskDeadline, OutboxKinds.Document };

    /// <summary>
    /// Completes a task as whoever it is for would, or settles a wait of <see cref="Settled"/> with the outcome the
    /// server would give it (a ballot that passed, a co-signing that lapsed), so every branch can be tried.
    /// </summary>
    public async Task<StepResult> CompleteAsync(string taskId, ResumeInput input, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var waits = await _runtime.QueryBookmarksAsync(new BookmarkQuery { InstanceId = InstanceId, Limit = 1000 }, cancellationToken);
            if (!waits.Any(t => t.Id == taskId && Settled.Contains(t.Kind)))
            {
                return StepResult.Fail(StepStatus.NotFound, $"The rehearsal has no open task or wait '{taskId}' to settle (timers move with the clock).");
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
        // Nothing drains these rows in a rehearsal: they are exactly what would have gone out.
        var sent = await _store.ReadOutboxAsync(10_000, cancellationToken);
        return new RehearsalState(_clock.GetUtcNow(), instance, [.. waiting], [.. journal], [.. sent.Where(m => SentKinds.Contains(m.Kind))]);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _runtime.DisposeAsync();
        _gate.Dispose();
    }
}
