using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Messages;
using Yishi.Engine.Outbox;
using Yishi.Engine.Persistence;

namespace Yishi.Engine.Tests.Support;

/// <summary>
/// A store that runs something of the test's once, just before the next bookmark query or definition read: a way to let
/// another step commit between a runtime call's reads and its commit, deterministically, without timing.
/// </summary>
public sealed class InterleavingStore(InMemoryWorkflowStore inner) : IWorkflowStore
{
    /// <summary>Run (and cleared) before the next <see cref="QueryBookmarksAsync"/>.</summary>
    public Func<Task>? BeforeNextBookmarkQuery { get; set; }

    /// <summary>Run (and cleared) before the next <see cref="FindDefinitionAsync"/>.</summary>
    public Func<Task>? BeforeNextDefinitionRead { get; set; }

    public async ValueTask<IReadOnlyList<Bookmark>> QueryBookmarksAsync(BookmarkQuery query, CancellationToken cancellationToken = default)
    {
        if (BeforeNextBookmarkQuery is { } interleaved)
        {
            BeforeNextBookmarkQuery = null;
            await interleaved();
        }

        return await inner.QueryBookmarksAsync(query, cancellationToken);
    }

    public ValueTask<IReadOnlyList<CommitOutcome>> CommitAsync(IReadOnlyList<WorkflowCommit> commits, CancellationToken cancellationToken = default) => inner.CommitAsync(commits, cancellationToken);

    public ValueTask<WorkflowInstance?> FindInstanceAsync(string instanceId, CancellationToken cancellationToken = default) => inner.FindInstanceAsync(instanceId, cancellationToken);

    public ValueTask<IReadOnlyList<InstanceSummary>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default) => inner.QueryInstancesAsync(query, cancellationToken);

    public ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(string instanceId, long fromSequence = 0, int limit = 1000, CancellationToken cancellationToken = default) =>
        inner.ReadJournalAsync(instanceId, fromSequence, limit, cancellationToken);

    public ValueTask<Bookmark?> FindBookmarkAsync(string bookmarkId, CancellationToken cancellationToken = default) => inner.FindBookmarkAsync(bookmarkId, cancellationToken);

    public ValueTask<(Bookmark Bookmark, WorkflowInstance Instance)?> FindBookmarkWithInstanceAsync(string bookmarkId, CancellationToken cancellationToken = default) =>
        inner.FindBookmarkWithInstanceAsync(bookmarkId, cancellationToken);

    public ValueTask<IReadOnlyList<PendingMessage>> FindPendingMessagesAsync(string name, string correlationKey, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.FindPendingMessagesAsync(name, correlationKey, now, cancellationToken);

    public ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int limit, CancellationToken cancellationToken = default) => inner.ReadOutboxAsync(limit, cancellationToken);

    public ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int limit, string kind, CancellationToken cancellationToken = default) => inner.ReadOutboxAsync(limit, kind, cancellationToken);

    public ValueTask<int> PurgeExpiredMessagesAsync(DateTimeOffset now, CancellationToken cancellationToken = default) => inner.PurgeExpiredMessagesAsync(now, cancellationToken);

    public async ValueTask<DefinitionVersion?> FindDefinitionAsync(string definitionId, int version, CancellationToken cancellationToken = default)
    {
        if (BeforeNextDefinitionRead is { } interleaved)
        {
            BeforeNextDefinitionRead = null;
            await interleaved();
        }

        return await inner.FindDefinitionAsync(definitionId, version, cancellationToken);
    }

    public ValueTask<IReadOnlyList<DefinitionVersion>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken = default) => inner.ListVersionsAsync(definitionId, cancellationToken);

    public ValueTask<IReadOnlyList<DefinitionVersion>> ListDefinitionsAsync(CancellationToken cancellationToken = default) => inner.ListDefinitionsAsync(cancellationToken);

    public ValueTask<bool> InsertDefinitionAsync(DefinitionVersion version, CancellationToken cancellationToken = default) => inner.InsertDefinitionAsync(version, cancellationToken);

    public ValueTask<bool> UpdateDraftAsync(string definitionId, int version, string json, string contentHash, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        inner.UpdateDraftAsync(definitionId, version, json, contentHash, at, cancellationToken);

    public ValueTask<bool> ChangeStatusAsync(string definitionId, int version, DefinitionStatus from, DefinitionStatus to, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        inner.ChangeStatusAsync(definitionId, version, from, to, at, cancellationToken);

    public ValueTask<bool> PublishDraftAsync(string definitionId, int version, Publication publication, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        inner.PublishDraftAsync(definitionId, version, publication, at, cancellationToken);
}
