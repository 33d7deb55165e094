using Yishi.Engine.Bookmarks;
using Yishi.Engine.Definitions;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Messages;
using Yishi.Engine.Outbox;

namespace Yishi.Engine.Persistence;

/// <summary>
/// A store in memory, for rehearsals (a throw-away store for one instance on a fast-forwarded clock) and for
/// fast interpreter tests. It keeps the same contract as the database stores — the contract tests run on it
/// too — including copies on read and write, so callers cannot change stored state by accident.
/// </summary>
public sealed class InMemoryWorkflowStore : IWorkflowStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, int), DefinitionVersion> _definitions = [];
    private readonly Dictionary<string, StoredInstance> _instances = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Bookmark> _bookmarks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JournalEntry>> _journal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, OutboxMessage> _outbox = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingMessage> _messages = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<CommitOutcome>> CommitAsync(IReadOnlyList<WorkflowCommit> commits, CancellationToken cancellationToken = default)
    {
        var outcomes = new CommitOutcome[commits.Count];
        lock (_gate)
        {
            for (var i = 0; i < commits.Count; i++)
            {
                outcomes[i] = Check(commits[i]) is { } conflict ? CommitOutcome.Refused(conflict)
                    : DuplicateKey(commits[i]) is { } duplicate ? CommitOutcome.Failed(new InvalidOperationException(duplicate))
                    : Apply(commits[i]);
            }
        }

        return ValueTask.FromResult<IReadOnlyList<CommitOutcome>>(outcomes);
    }

    private ConflictReason? Check(WorkflowCommit commit)
    {
        foreach (var write in commit.Instances)
        {
            var exists = _instances.TryGetValue(write.Instance.Id, out var stored);
            if (write.ExpectedVersion == 0 ? exists : !exists || stored!.Version != write.ExpectedVersion)
            {
                return ConflictReason.InstanceChanged;
            }
        }

        if (commit.ConsumedBookmarkIds.Any(id => !_bookmarks.TryGetValue(id, out var b) || b.ConsumedAt is not null))
        {
            return ConflictReason.BookmarkConsumed;
        }

        if (commit.VersionChanges.Any(v => !_instances.TryGetValue(v.InstanceId, out var i) || i.DefinitionVersion != v.FromVersion))
        {
            return ConflictReason.InstanceChanged;
        }

        if (commit.BookmarkMoves.Any(m => !_bookmarks.TryGetValue(m.BookmarkId, out var b) || b.ConsumedAt is not null || b.ActivityId != m.FromActivityId))
        {
            return ConflictReason.BookmarkConsumed;
        }

        if (commit.DeadlineChanges.Any(d => !_bookmarks.TryGetValue(d.BookmarkId, out var b) || b.ConsumedAt is not null || b.DueAt != d.ExpectedDue))
        {
            return ConflictReason.DeadlineChanged;
        }

        if (commit.Alarms.Any(a => !_bookmarks.TryGetValue(a.BookmarkId, out var b) || b.ConsumedAt is not null || b.AlarmAt != a.Expected))
        {
            return ConflictReason.AlarmRaised;
        }

        if (commit.Claims.Any(c => !_bookmarks.TryGetValue(c.BookmarkId, out var b) || b.ConsumedAt is not null || (!c.Reassign && b.UserId is not null && b.UserId != c.UserId)))
        {
            return ConflictReason.TaskClaimed;
        }

        if (commit.ConsumedMessageIds.Any(id => !_messages.ContainsKey(id)))
        {
            return ConflictReason.MessageConsumed;
        }

        return commit.CompletedOutboxIds.Any(id => !_outbox.ContainsKey(id)) ? ConflictReason.OutboxCompleted : null;
    }

    /// <summary>What a database's primary keys would refuse.</summary>
    private string? DuplicateKey(WorkflowCommit commit)
    {
        foreach (var entry in commit.Journal)
        {
            if (_journal.TryGetValue(entry.InstanceId, out var list) && list.Exists(e => e.Sequence == entry.Sequence))
            {
                return $"Journal entry {entry.InstanceId}/{entry.Sequence} exists already.";
            }
        }

        return commit.CreatedBookmarks.FirstOrDefault(b => _bookmarks.ContainsKey(b.Id)) is { } bookmark ? $"Bookmark {bookmark.Id} exists already."
            : commit.Outbox.FirstOrDefault(o => _outbox.ContainsKey(o.Id)) is { } row ? $"Outbox row {row.Id} exists already."
            : commit.StoredMessages.FirstOrDefault(m => _messages.ContainsKey(m.Id)) is { } message ? $"Message {message.Id} exists already."
            : null;
    }

    private CommitOutcome Apply(WorkflowCommit commit)
    {
        var at = commit.Instances.IsEmpty ? DateTimeOffset.UnixEpoch : commit.Instances[0].Instance.UpdatedAt;
        foreach (var write in commit.Instances)
        {
            var stored = StoredInstance.From(write.Instance, write.StateJson);
            // Like the SQL stores' UPDATE: what an instance was created with never changes.
            _instances[write.Instance.Id] = write.ExpectedVersion == 0 ? stored : stored with
            {
                DefinitionId = _instances[write.Instance.Id].DefinitionId,
                DefinitionVersion = _instances[write.Instance.Id].DefinitionVersion,
                CorrelationKey = _instances[write.Instance.Id].CorrelationKey,
                Scope = _instances[write.Instance.Id].Scope,
                ParentInstanceId = _instances[write.Instance.Id].ParentInstanceId,
                ParentBookmarkId = _instances[write.Instance.Id].ParentBookmarkId,
                CreatedAt = _instances[write.Instance.Id].CreatedAt,
            };
        }

        foreach (var id in commit.ConsumedBookmarkIds)
        {
            _bookmarks[id] = _bookmarks[id] with { ConsumedAt = at };
        }

        foreach (var claim in commit.Claims)
        {
            _bookmarks[claim.BookmarkId] = _bookmarks[claim.BookmarkId] with { UserId = claim.UserId };
        }

        foreach (var alarm in commit.Alarms)
        {
            _bookmarks[alarm.BookmarkId] = _bookmarks[alarm.BookmarkId] with { AlarmAt = alarm.Next };
        }

        foreach (var change in commit.DeadlineChanges)
        {
            _bookmarks[change.BookmarkId] = _bookmarks[change.BookmarkId] with { DueAt = change.NewDue, AlarmAt = change.NewAlarm };
        }

        foreach (var change in commit.ScopeChanges)
        {
            _instances[change.InstanceId] = _instances[change.InstanceId] with { Scope = change.NewScope };
            foreach (var open in _bookmarks.Values.Where(b => b.InstanceId == change.InstanceId && b.ConsumedAt is null).ToList())
            {
                _bookmarks[open.Id] = open with { Scope = change.NewScope };
            }
        }

        foreach (var change in commit.VersionChanges)
        {
            _instances[change.InstanceId] = _instances[change.InstanceId] with { DefinitionVersion = change.ToVersion };
        }

        foreach (var move in commit.BookmarkMoves)
        {
            _bookmarks[move.BookmarkId] = _bookmarks[move.BookmarkId] with { ActivityId = move.ToActivityId };
        }

        foreach (var bookmark in commit.CreatedBookmarks)
        {
            _bookmarks[bookmark.Id] = bookmark with { Payload = bookmark.Payload?.DeepClone().AsObject() };
        }

        foreach (var entry in commit.Journal)
        {
            if (!_journal.TryGetValue(entry.InstanceId, out var list))
            {
                _journal[entry.InstanceId] = list = [];
            }

            list.Add(entry);
        }

        foreach (var id in commit.CompletedOutboxIds)
        {
            _outbox.Remove(id);
        }

        foreach (var row in commit.Outbox)
        {
            _outbox[row.Id] = row;
        }

        foreach (var id in commit.ConsumedMessageIds)
        {
            _messages.Remove(id);
        }

        foreach (var message in commit.StoredMessages)
        {
            _messages[message.Id] = message;
        }

        return CommitOutcome.Success;
    }

    /// <inheritdoc />
    public ValueTask<WorkflowInstance?> FindInstanceAsync(string instanceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_instances.GetValueOrDefault(instanceId)?.ToInstance());
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<InstanceSummary>> QueryInstancesAsync(InstanceQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<InstanceSummary> result = [.. _instances.Values
                .Where(i => (query.DefinitionId is null || i.DefinitionId == query.DefinitionId) && (query.Status is null || i.Status == query.Status)
                            && (query.CorrelationKey is null || i.CorrelationKey == query.CorrelationKey)
                            && (query.ScopePrefix is null || (i.Scope is not null && i.Scope.StartsWith(query.ScopePrefix, StringComparison.Ordinal)))
                            && (query.Ids.IsDefaultOrEmpty || query.Ids.Contains(i.Id)))
                .OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id, StringComparer.Ordinal)
                .Skip(query.Offset).Take(query.Limit)
                .Select(i => new InstanceSummary(i.Id, i.DefinitionId, i.DefinitionVersion, i.Status, i.CorrelationKey, i.CreatedAt, i.UpdatedAt, i.FinishedAt, i.Scope))];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<JournalEntry>> ReadJournalAsync(string instanceId, long fromSequence = 0, int limit = 1000, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<JournalEntry> result = [.. _journal.GetValueOrDefault(instanceId, []).Where(e => e.Sequence >= fromSequence).OrderBy(e => e.Sequence).Take(limit)];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<Bookmark?> FindBookmarkAsync(string bookmarkId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(Copy(_bookmarks.GetValueOrDefault(bookmarkId)));
        }
    }

    /// <inheritdoc />
    public ValueTask<(Bookmark Bookmark, WorkflowInstance Instance)?> FindBookmarkWithInstanceAsync(string bookmarkId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            (Bookmark, WorkflowInstance)? result = _bookmarks.TryGetValue(bookmarkId, out var bookmark) && _instances.TryGetValue(bookmark.InstanceId, out var instance)
                ? (Copy(bookmark)!, instance.ToInstance())
                : null;
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<Bookmark>> QueryBookmarksAsync(BookmarkQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<Bookmark> result = [.. _bookmarks.Values
                .Where(b => b.ConsumedAt is null && BookmarkFilter.Matches(query, b))
                .OrderBy(b => b.DueAt ?? DateTimeOffset.MaxValue).ThenBy(b => b.CreatedAt).ThenBy(b => b.Id, StringComparer.Ordinal)
                .Take(query.Limit)
                .Select(b => Copy(b)!)];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<PendingMessage>> FindPendingMessagesAsync(string name, string correlationKey, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<PendingMessage> result = [.. _messages.Values.Where(m => m.Name == name && m.CorrelationKey == correlationKey && m.ExpiresAt > now)
                .OrderBy(m => m.ReceivedAt).ThenBy(m => m.Id, StringComparer.Ordinal)];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<OutboxMessage> result = [.. _outbox.Values.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id, StringComparer.Ordinal).Take(limit)];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<OutboxMessage>> ReadOutboxAsync(int limit, string kind, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<OutboxMessage> result = [.. _outbox.Values.Where(o => o.Kind == kind).OrderBy(o => o.CreatedAt).ThenBy(o => o.Id, StringComparer.Ordinal).Take(limit)];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<int> PurgeExpiredMessagesAsync(DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var expired = _messages.Values.Where(m => m.ExpiresAt <= now).Select(m => m.Id).ToList();
            expired.ForEach(id => _messages.Remove(id));
            return ValueTask.FromResult(expired.Count);
        }
    }

    /// <inheritdoc />
    public ValueTask<DefinitionVersion?> FindDefinitionAsync(string definitionId, int version, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_definitions.GetValueOrDefault((definitionId, version)));
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DefinitionVersion>> ListVersionsAsync(string definitionId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DefinitionVersion> result = [.. _definitions.Values.Where(d => d.DefinitionId == definitionId).OrderBy(d => d.Version)];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DefinitionVersion>> ListDefinitionsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DefinitionVersion> result = [.. _definitions.Values.OrderBy(d => d.DefinitionId, StringComparer.Ordinal).ThenBy(d => d.Version)];
            return ValueTask.FromResult(result);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> InsertDefinitionAsync(DefinitionVersion version, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_definitions.TryAdd((version.DefinitionId, version.Version), version));
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> UpdateDraftAsync(string definitionId, int version, string json, string contentHash, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_definitions.TryGetValue((definitionId, version), out var stored) || stored.Status != DefinitionStatus.Draft)
            {
                return ValueTask.FromResult(false);
            }

            _definitions[(definitionId, version)] = stored with { Json = json, ContentHash = contentHash, UpdatedAt = at };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> ChangeStatusAsync(string definitionId, int version, DefinitionStatus from, DefinitionStatus to, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_definitions.TryGetValue((definitionId, version), out var stored) || stored.Status != from)
            {
                return ValueTask.FromResult(false);
            }

            _definitions[(definitionId, version)] = stored with
            {
                Status = to,
                UpdatedAt = at,
                PublishedAt = to == DefinitionStatus.Published ? at : stored.PublishedAt,
            };
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> PublishDraftAsync(string definitionId, int version, Publication publication, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_definitions.TryGetValue((definitionId, version), out var stored) || stored.Status != DefinitionStatus.Draft)
            {
                return ValueTask.FromResult(false);
            }

            _definitions[(definitionId, version)] = stored with
            {
                Status = DefinitionStatus.Published,
                UpdatedAt = at,
                PublishedAt = at,
                PublishNote = publication.TrimmedNote,
                PublishedBy = publication.PublishedBy,
            };
            return ValueTask.FromResult(true);
        }
    }

    private static Bookmark? Copy(Bookmark? bookmark) => bookmark is null ? null : bookmark with { Payload = bookmark.Payload?.DeepClone().AsObject() };

    private sealed record StoredInstance(string Id, string DefinitionId, int DefinitionVersion, InstanceStatus Status, string? CorrelationKey, string? Scope,
        string? ParentInstanceId, string? ParentBookmarkId, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, long Version, string State)
    {
        public static StoredInstance From(WorkflowInstance i, string state) => new(i.Id, i.DefinitionId, i.DefinitionVersion, i.Status, i.CorrelationKey, i.Scope,
            i.ParentInstanceId, i.ParentBookmarkId, i.CreatedAt, i.UpdatedAt, i.FinishedAt, i.Version, state);

        public WorkflowInstance ToInstance() => new()
        {
            Id = Id,
            DefinitionId = DefinitionId,
            DefinitionVersion = DefinitionVersion,
            Status = Status,
            CorrelationKey = CorrelationKey,
            Scope = Scope,
            ParentInstanceId = ParentInstanceId,
            ParentBookmarkId = ParentBookmarkId,
            CreatedAt = CreatedAt,
            UpdatedAt = UpdatedAt,
            FinishedAt = FinishedAt,
            Version = Version,
            State = StateSerializer.Deserialize(State),
        };
    }
}

/// <summary>The meaning of a <see cref="BookmarkQuery"/>, shared by stores that filter in memory.</summary>
public static class BookmarkFilter
{
    /// <summary>True when the bookmark matches every set field of the query.</summary>
    public static bool Matches(BookmarkQuery query, Bookmark bookmark) =>
        (query.Kind is null || bookmark.Kind == query.Kind)
        && ((query.UserId is not null && bookmark.UserId == query.UserId)
            || ((query.UserId is null || !query.Roles.IsDefaultOrEmpty)
                && (query.Roles.IsDefaultOrEmpty || (bookmark.Role is { } role && query.Roles.Contains(role)))
                && (query.ScopePrefix is null || (bookmark.Scope is not null && bookmark.Scope.StartsWith(query.ScopePrefix, StringComparison.Ordinal)))))
        && (query.DueBefore is null || (bookmark.DueAt is { } due && due < query.DueBefore))
        && (query.DueFrom is null || (bookmark.DueAt is { } dueFrom && dueFrom >= query.DueFrom))
        && (query.AlarmBefore is null || (bookmark.AlarmAt is { } alarm && alarm < query.AlarmBefore))
        && (query.InstanceId is null || bookmark.InstanceId == query.InstanceId)
        && (query.DefinitionId is null || bookmark.DefinitionId == query.DefinitionId)
        && (query.MessageName is null || bookmark.MessageName == query.MessageName)
        && (query.CorrelationKey is null || bookmark.CorrelationKey == query.CorrelationKey);
}
