using System.Collections.Immutable;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Messages;
using Yishi.Engine.Outbox;

namespace Yishi.Engine.Persistence;

/// <summary>Applies steps. The group committer calls it with many commits at once.</summary>
public interface IStepStore
{
    /// <summary>
    /// Applies each commit atomically and independently: one refused or failing commit never affects the
    /// others. Returns one outcome per commit, in order. Throws only when nothing could be applied.
    /// </summary>
    ValueTask<IReadOnlyList<CommitOutcome>> CommitAsync(IReadOnlyList<WorkflowCommit> commits, CancellationToken cancellationToken = default);
}

/// <summary>Reads instances and their journals.</summary>
public interface IInstanceStore
{
    /// <summary>An instance by id.</summary>
    ValueTask<WorkflowInstance?> FindInstanceAsync(string instanceId, CancellationToken cancellationToken = default);

    /// <summary>Instances matching a filter, newest first.</summary>
    ValueTask<IReadOnlyList<InstanceSummary>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default);

    /// <summary>An instance's journal in order.</summary>
    ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(string instanceId, long fromSequence = 0, int limit = 1000, CancellationToken cancellationToken = default);
}

/// <summary>Reads bookmarks.</summary>
public interface IBookmarkStore
{
    /// <summary>A bookmark by id.</summary>
    ValueTask<Bookmark?> FindBookmarkAsync(string bookmarkId, CancellationToken cancellationToken = default);

    /// <summary>A bookmark and its instance in one read: the hot path of every resume.</summary>
    ValueTask<(Bookmark Bookmark, WorkflowInstance Instance)?> FindBookmarkWithInstanceAsync(string bookmarkId, CancellationToken cancellationToken = default);

    /// <summary>Open bookmarks matching a filter, earliest due first.</summary>
    ValueTask<IReadOnlyList<Bookmark>> QueryBookmarksAsync(BookmarkQuery query, CancellationToken cancellationToken = default);
}

/// <summary>Early messages and the outbox.</summary>
public interface IMessageStore
{
    /// <summary>Undelivered, unexpired messages with this name and key, oldest first.</summary>
    ValueTask<IReadOnlyList<PendingMessage>> FindPendingMessagesAsync(string name, string correlationKey, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Outbox rows not yet carried out, oldest first.</summary>
    ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int limit, CancellationToken cancellationToken = default);

    /// <summary>Outbox rows of one kind not yet carried out, oldest first: each host worker reads its own kind, so none starves another.</summary>
    ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int limit, string kind, CancellationToken cancellationToken = default);

    /// <summary>Deletes messages that expired before <paramref name="now"/>; returns how many.</summary>
    ValueTask<int> PurgeExpiredMessagesAsync(DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>Definition versions. The rules (one draft, immutable published versions) live in <see cref="Definitions.DefinitionCatalog"/>.</summary>
public interface IDefinitionStore
{
    /// <summary>One version.</summary>
    ValueTask<DefinitionVersion?> FindDefinitionAsync(string definitionId, int version, CancellationToken cancellationToken = default);

    /// <summary>All versions of a definition, oldest first.</summary>
    ValueTask<IReadOnlyList<DefinitionVersion>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken = default);

    /// <summary>Every definition's versions (for lists), by id then version.</summary>
    ValueTask<IReadOnlyList<DefinitionVersion>> ListDefinitionsAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds a version; false when that (id, version) exists already.</summary>
    ValueTask<bool> InsertDefinitionAsync(DefinitionVersion version, CancellationToken cancellationToken = default);

    /// <summary>Replaces a draft's content; false unless the version exists and is still a draft.</summary>
    ValueTask<bool> UpdateDraftAsync(string definitionId, int version, string json, string contentHash, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>Moves a version between states; false unless it was in <paramref name="from"/>.</summary>
    ValueTask<bool> ChangeStatusAsync(string definitionId, int version, DefinitionStatus from, DefinitionStatus to, DateTimeOffset at, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes a draft with its change note and publisher, in the same update as the status; false unless it was
    /// still a draft.
    /// </summary>
    ValueTask<bool> PublishDraftAsync(string definitionId, int version, Publication publication, DateTimeOffset at, CancellationToken cancellationToken = default);
}

/// <summary>Everything a runtime needs from storage.</summary>
public interface IWorkflowStore : IStepStore, IInstanceStore, IBookmarkStore, IMessageStore, IDefinitionStore;

/// <summary>A row of an instance list.</summary>
public sealed record InstanceSummary(string Id, string DefinitionId, int DefinitionVersion, InstanceStatus Status, string? CorrelationKey, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, string? Scope = null);

/// <summary>Filter for instance lists; null fields do not filter.</summary>
public sealed record InstanceQuery
{
    /// <summary>Definition id.</summary>
    public string? DefinitionId { get; init; }

    /// <summary>Status.</summary>
    public InstanceStatus? Status { get; init; }

    /// <summary>Correlation key.</summary>
    public string? CorrelationKey { get; init; }

    /// <summary>Instances whose scope starts with this (a unit and the units below it).</summary>
    public string? ScopePrefix { get; init; }

    /// <summary>Only these instances (e.g. the cases a resident is party to); empty does not filter.</summary>
    public ImmutableArray<string> Ids { get; init; } = [];

    /// <summary>Page size.</summary>
    public int Limit { get; init; } = 100;

    /// <summary>Rows to skip.</summary>
    public int Offset { get; init; }
}

/// <summary>Filter for open bookmarks (an inbox); null fields do not filter.</summary>
public sealed record BookmarkQuery
{
    /// <summary>Kind.</summary>
    public BookmarkKind? Kind { get; init; }

    /// <summary>Tasks for any of these roles. With <see cref="UserId"/>, tasks for the user or for these roles (an inbox).</summary>
    public ImmutableArray<string> Roles { get; init; } = [];

    /// <summary>Tasks assigned to this user (or, with <see cref="Roles"/>, to the user's roles).</summary>
    public string? UserId { get; init; }

    /// <summary>Tasks whose next deadline alarm is strictly before this time.</summary>
    public DateTimeOffset? AlarmBefore { get; init; }

    /// <summary>Due strictly before this time.</summary>
    public DateTimeOffset? DueBefore { get; init; }

    /// <summary>Due at or after this time.</summary>
    public DateTimeOffset? DueFrom { get; init; }

    /// <summary>Instance.</summary>
    public string? InstanceId { get; init; }

    /// <summary>Definition.</summary>
    public string? DefinitionId { get; init; }

    /// <summary>Message name (with <see cref="CorrelationKey"/>).</summary>
    public string? MessageName { get; init; }

    /// <summary>Message correlation key.</summary>
    public string? CorrelationKey { get; init; }

    /// <summary>
    /// Bookmarks of instances whose scope starts with this. Like <see cref="Engine.Execution.Actor.Reaches"/>, it
    /// does not restrict the tasks assigned to <see cref="UserId"/>: those are the user's wherever they are.
    /// </summary>
    public string? ScopePrefix { get; init; }

    /// <summary>Page size.</summary>
    public int Limit { get; init; } = 100;
}
