using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Yishi.Engine.Activities;
using Yishi.Engine.Definitions;
using Yishi.Engine.Execution;
using Yishi.Engine.Expressions;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Time;

namespace Yishi.Engine.Runtime;

/// <summary>
/// The in-process API of the engine: start, resume, cancel, retry, publish messages, and query. It takes its
/// store and its clock as parameters, so one instance can run in isolation on a fast-forwarded clock against
/// a throw-away store (the designer's rehearsal) exactly as it runs in production.
/// </summary>
public sealed partial class WorkflowRuntime : IAsyncDisposable
{
    private readonly IWorkflowStore _store;
    private readonly TimeProvider _clock;
    private readonly WorkflowRuntimeOptions _options;
    private readonly EngineServices _services;
    private readonly GroupCommitter _committer;
    private readonly ILogger _logger;

    /// <summary>Creates a runtime over a store and a clock.</summary>
    public WorkflowRuntime(IWorkflowStore store, TimeProvider clock, WorkflowRuntimeOptions? options = null, ActivityRegistry? registry = null,
        IWorkingCalendar? calendar = null, ILogger<WorkflowRuntime>? logger = null)
    {
        _store = store;
        _clock = clock;
        _options = options ?? new WorkflowRuntimeOptions();
        Registry = registry ?? ActivityRegistry.BuiltIn;
        Expressions = new ExpressionEngine(_options.Expressions);
        _services = new EngineServices(Expressions, calendar ?? WorkingCalendar.China, _options.StepBudget);
        Definitions = new DefinitionCatalog(store, Registry, Expressions, clock, _options.DefinitionLimits);
        _committer = new GroupCommitter(store, _options.MaxBatchSize, _options.CommitWriters);
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <summary>Definition versions: drafts, publishing, retiring, copies.</summary>
    public DefinitionCatalog Definitions { get; }

    /// <summary>The activity types this runtime runs.</summary>
    public ActivityRegistry Registry { get; }

    /// <summary>The expression engine (shared with validation and previews).</summary>
    public ExpressionEngine Expressions { get; }

    /// <summary>The clock.</summary>
    public TimeProvider Clock => _clock;

    /// <summary>Starts an instance and runs it until it waits or ends.</summary>
    public async Task<StepResult> StartAsync(StartRequest request, CancellationToken cancellationToken = default)
    {
        var graph = request.Version is { } version
            ? await Definitions.GetGraphAsync(request.DefinitionId, version, cancellationToken)
            : await Definitions.GetLatestPublishedGraphAsync(request.DefinitionId, cancellationToken);
        if (graph is null)
        {
            return StepResult.Fail(StepStatus.NotFound, $"'{request.DefinitionId}' has no published version{(request.Version is { } v ? $" {v}" : "")}.");
        }

        if (request.Version is not null && (await _store.FindDefinitionAsync(request.DefinitionId, graph.Version, cancellationToken))?.Status == DefinitionStatus.Retired)
        {
            return StepResult.Fail(StepStatus.NotActive, $"Version {graph.Version} of '{request.DefinitionId}' is retired; start the current version.");
        }

        if (request.Actor is { } starter && !starter.Reaches(request.Scope))
        {
            return StepResult.Fail(StepStatus.Forbidden, "An instance is started inside the starter's own scope.");
        }

        var problems = StartInput.Check(graph.Definition, request.Input);
        if (!problems.IsEmpty)
        {
            return new StepResult(StepStatus.InvalidInput) { Problems = problems, Message = "The start input does not fit the workflow's variables." };
        }

        var now = _clock.GetUtcNow();
        var instance = new WorkflowInstance
        {
            Id = NewInstanceId(),
            DefinitionId = graph.Definition.DefinitionId,
            DefinitionVersion = graph.Version,
            CorrelationKey = request.CorrelationKey,
            Scope = request.Scope,
            CreatedAt = now,
            UpdatedAt = now,
            Status = InstanceStatus.Running,
            State = new InstanceState { Variables = StartInput.InitialVariables(graph.Definition, request.Input) },
        };
        var session = new ExecutionSession(instance, graph, now, request.Actor ?? Actor.System, _services);
        Interpreter.Start(session, request.Input);
        var sessions = new List<ExecutionSession> { session };
        await StartChildrenAsync(sessions, session, 1, cancellationToken);
        var outcome = await _committer.CommitAsync(StepCommits.Build(sessions, StepExtras.None), cancellationToken);
        if (!outcome.Committed)
        {
            return StepResult.Fail(StepStatus.Failed, outcome.Error?.Message ?? $"The start was refused ({outcome.Conflict}).");
        }

        return await ResultAfterAsync(session, await AfterCommitAsync(sessions, cancellationToken), cancellationToken);
    }

    /// <summary>Cancels an instance: its open tasks, timers and waits are withdrawn, and running children are cancelled too.</summary>
    public async Task<StepResult> CancelAsync(string instanceId, Actor actor, string? reason = null, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt <= _options.MaxConflictRetries; attempt++)
        {
            var instance = await _store.FindInstanceAsync(instanceId, cancellationToken);
            // Outside the actor's scope looks the same as absent: existence is not revealed across org units.
            if (instance is null || !actor.Reaches(instance.Scope))
            {
                return StepResult.Fail(StepStatus.NotFound, $"There is no instance '{instanceId}'.");
            }

            if (instance.IsFinished)
            {
                return StepResult.Fail(StepStatus.NotActive, $"The instance is already {instance.Status.ToString().ToLowerInvariant()}.", instanceId);
            }

            var graph = await GraphOfAsync(instance, cancellationToken);
            var children = (await _store.QueryBookmarksAsync(new BookmarkQuery { InstanceId = instanceId, Kind = Bookmarks.BookmarkKind.SubWorkflow }, cancellationToken))
                .Select(b => b.ChildInstanceId).OfType<string>().ToList();
            var session = new ExecutionSession(instance, graph, _clock.GetUtcNow(), actor, _services);
            Interpreter.WithdrawAll(session);
            instance.Status = InstanceStatus.Cancelled;
            instance.FinishedAt = session.Now;
            session.Record(JournalKind.InstanceCancelled, message: reason);
            Interpreter.NotifyParent(session, Activities.BuiltIn.SubWorkflowActivity.CancelledOutcome);
            var outcome = await _committer.CommitAsync(StepCommits.Build([session], StepExtras.None), cancellationToken);
            if (outcome.Conflict == ConflictReason.InstanceChanged)
            {
                continue;
            }

            if (!outcome.Committed)
            {
                return StepResult.Fail(StepStatus.Failed, outcome.Error?.Message ?? "The cancel was refused.", instanceId);
            }

            foreach (var child in children)
            {
                await CancelAsync(child, Actor.System, "The parent instance was cancelled.", cancellationToken);
            }

            await AfterCommitAsync([session], cancellationToken);
            return Succeeded(session);
        }

        return StepResult.Conflicted(ConflictReason.InstanceChanged, "The instance kept changing; try again.", instanceId);
    }

    /// <summary>Retries a faulted instance's incidents: the failed activities run again.</summary>
    public async Task<StepResult> RetryAsync(string instanceId, Actor actor, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; attempt <= _options.MaxConflictRetries; attempt++)
        {
            var instance = await _store.FindInstanceAsync(instanceId, cancellationToken);
            // Outside the actor's scope looks the same as absent: existence is not revealed across org units.
            if (instance is null || !actor.Reaches(instance.Scope))
            {
                return StepResult.Fail(StepStatus.NotFound, $"There is no instance '{instanceId}'.");
            }

            if (instance.Status != InstanceStatus.Faulted)
            {
                return StepResult.Fail(StepStatus.NotActive, "Only a faulted instance can be retried.", instanceId);
            }

            var session = new ExecutionSession(instance, await GraphOfAsync(instance, cancellationToken), _clock.GetUtcNow(), actor, _services);
            Interpreter.Retry(session);
            var sessions = new List<ExecutionSession> { session };
            await StartChildrenAsync(sessions, session, 1, cancellationToken);
            var outcome = await _committer.CommitAsync(StepCommits.Build(sessions, StepExtras.None), cancellationToken);
            if (outcome.Conflict == ConflictReason.InstanceChanged)
            {
                continue;
            }

            if (!outcome.Committed)
            {
                return StepResult.Fail(StepStatus.Failed, outcome.Error?.Message ?? "The retry was refused.", instanceId);
            }

            return await ResultAfterAsync(session, await AfterCommitAsync(sessions, cancellationToken), cancellationToken);
        }

        return StepResult.Conflicted(ConflictReason.InstanceChanged, "The instance kept changing; try again.", instanceId);
    }

    /// <summary>An instance by id.</summary>
    public ValueTask<WorkflowInstance?> FindInstanceAsync(string instanceId, CancellationToken cancellationToken = default) =>
        _store.FindInstanceAsync(instanceId, cancellationToken);

    /// <summary>Instances by filter.</summary>
    public ValueTask<IReadOnlyList<InstanceSummary>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) =>
        _store.QueryInstancesAsync(query, cancellationToken);

    /// <summary>Open bookmarks by filter (role, user, due before…): the task inbox.</summary>
    public ValueTask<IReadOnlyList<Bookmarks.Bookmark>> QueryBookmarksAsync(BookmarkQuery query, CancellationToken cancellationToken = default) =>
        _store.QueryBookmarksAsync(query, cancellationToken);

    /// <summary>An instance's journal.</summary>
    public ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(string instanceId, long fromSequence = 0, int limit = 1000, CancellationToken cancellationToken = default) =>
        _store.ReadJournalAsync(instanceId, fromSequence, limit, cancellationToken);

    private async Task<WorkflowGraph> GraphOfAsync(WorkflowInstance instance, CancellationToken cancellationToken) =>
        await Definitions.GetGraphAsync(instance.DefinitionId, instance.DefinitionVersion, cancellationToken)
        ?? throw new InvalidOperationException($"The definition '{instance.DefinitionId}' v{instance.DefinitionVersion} of instance '{instance.Id}' is missing.");

    private static StepResult Succeeded(ExecutionSession session) => new(StepStatus.Succeeded)
    {
        InstanceId = session.Instance.Id,
        InstanceStatus = session.Instance.Status,
        Bookmarks = [.. session.CreatedBookmarks],
        Result = session.Instance.Status == InstanceStatus.Completed ? session.Instance.State.Result?.DeepClone() : null,
    };

    /// <summary>Time-ordered (version 7) ids keep the primary-key index append-only.</summary>
    private string NewInstanceId() => Guid.CreateVersion7(_clock.GetUtcNow()).ToString("N");

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _committer.DisposeAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "After-commit work for instance {InstanceId} failed; the outbox keeps it for a retry")]
    private static partial void LogAfterCommitFailed(ILogger logger, string instanceId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sub-workflow {DefinitionId} could not start for instance {InstanceId}: {Reason}")]
    private static partial void LogChildNotStarted(ILogger logger, string definitionId, string instanceId, string reason);
}
