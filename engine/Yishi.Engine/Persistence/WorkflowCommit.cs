using System.Collections.Immutable;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Messages;
using Yishi.Engine.Outbox;

namespace Yishi.Engine.Persistence;

/// <summary>
/// Everything one step changes, applied by a store atomically: all of it or none of it. The checks
/// (bookmarks still there, instance versions unchanged) make concurrent steps safe without locks.
/// </summary>
public sealed record WorkflowCommit
{
    /// <summary>Instances to insert (<see cref="InstanceWrite.ExpectedVersion"/> 0) or update.</summary>
    public ImmutableArray<InstanceWrite> Instances { get; init; } = [];

    /// <summary>Bookmarks consumed or withdrawn; each must still exist, or the commit is a conflict.</summary>
    public ImmutableArray<string> ConsumedBookmarkIds { get; init; } = [];

    /// <summary>Bookmarks created.</summary>
    public ImmutableArray<Bookmark> CreatedBookmarks { get; init; } = [];

    /// <summary>Journal entries appended.</summary>
    public ImmutableArray<JournalEntry> Journal { get; init; } = [];

    /// <summary>Outbox rows written.</summary>
    public ImmutableArray<OutboxMessage> Outbox { get; init; } = [];

    /// <summary>Outbox rows this step carried out; each must still exist (so an action happens once).</summary>
    public ImmutableArray<string> CompletedOutboxIds { get; init; } = [];

    /// <summary>Early messages delivered by this step; each must still exist.</summary>
    public ImmutableArray<string> ConsumedMessageIds { get; init; } = [];

    /// <summary>Early messages stored.</summary>
    public ImmutableArray<PendingMessage> StoredMessages { get; init; } = [];

    /// <summary>Tasks a person takes for themselves; each must be open and unclaimed (or already theirs).</summary>
    public ImmutableArray<TaskClaim> Claims { get; init; } = [];

    /// <summary>Deadline warnings raised: each task's alarm must still be the one the step saw (so a warning is raised once).</summary>
    public ImmutableArray<AlarmMove> Alarms { get; init; } = [];

    /// <summary>Task deadlines moved; each task's deadline must still be the one the step saw.</summary>
    public ImmutableArray<DeadlineChange> DeadlineChanges { get; init; } = [];

    /// <summary>Cases handed to another org unit (转办): the instance and its open bookmarks move to the new scope.</summary>
    public ImmutableArray<ScopeChange> ScopeChanges { get; init; } = [];

    /// <summary>Cases migrated to another version of their definition; each must still be on the version the migration read.</summary>
    public ImmutableArray<VersionChange> VersionChanges { get; init; } = [];

    /// <summary>Open bookmarks re-pointed to another activity id (a migration's renames); each must still be open on the activity the migration saw.</summary>
    public ImmutableArray<BookmarkMove> BookmarkMoves { get; init; } = [];
}

/// <summary>A case moved from one version of its definition to another (a migration).</summary>
/// <param name="InstanceId">The case.</param>
/// <param name="FromVersion">The version the migration read.</param>
/// <param name="ToVersion">The version it runs on from now.</param>
public sealed record VersionChange(string InstanceId, int FromVersion, int ToVersion);

/// <summary>An open bookmark re-pointed to its activity's counterpart in a newer version; its id, deadline and payload stay.</summary>
/// <param name="BookmarkId">The bookmark.</param>
/// <param name="FromActivityId">The activity it waited in.</param>
/// <param name="ToActivityId">The activity it waits in from now.</param>
public sealed record BookmarkMove(string BookmarkId, string FromActivityId, string ToActivityId);

/// <summary>A case handed to another org unit: its scope, and that of every bookmark still open, becomes <paramref name="NewScope"/>.</summary>
/// <param name="InstanceId">The case.</param>
/// <param name="NewScope">The receiving unit's path.</param>
public sealed record ScopeChange(string InstanceId, string NewScope);

/// <summary>A task's deadline moved (an extension), with its next warning.</summary>
/// <param name="BookmarkId">The task.</param>
/// <param name="ExpectedDue">The deadline the step saw.</param>
/// <param name="NewDue">The new deadline.</param>
/// <param name="NewAlarm">The next warning under the new deadline, or null.</param>
public sealed record DeadlineChange(string BookmarkId, DateTimeOffset ExpectedDue, DateTimeOffset NewDue, DateTimeOffset? NewAlarm);

/// <summary>A task's deadline alarm moving on to its next warning (or to none).</summary>
/// <param name="BookmarkId">The task.</param>
/// <param name="Expected">The alarm the step raised.</param>
/// <param name="Next">The next one, or null.</param>
public sealed record AlarmMove(string BookmarkId, DateTimeOffset Expected, DateTimeOffset? Next);

/// <summary>A person taking an open task from a role's shared inbox, or a supervisor giving it to someone.</summary>
/// <param name="BookmarkId">The task.</param>
/// <param name="UserId">Who takes it (or is given it).</param>
/// <param name="Reassign">
/// A supervisor's assignment: it replaces whoever holds the task. The step's instance version check still makes it lose
/// cleanly to a completion or another assignment made meanwhile.
/// </param>
public sealed record TaskClaim(string BookmarkId, string UserId, bool Reassign = false);

/// <summary>An instance to write, with the version the step read (0 for a new instance).</summary>
/// <param name="Instance">The new state; its <see cref="WorkflowInstance.Version"/> is <paramref name="ExpectedVersion"/> + 1.</param>
/// <param name="ExpectedVersion">The version the step started from.</param>
/// <param name="StatusChanged">Whether the step changed the status (stores skip index maintenance when it did not).</param>
public sealed record InstanceWrite(WorkflowInstance Instance, long ExpectedVersion, bool StatusChanged = true)
{
    /// <summary>
    /// The state as stored. Serialized when the write is made, on the caller's thread: a database store has a
    /// single writer, whose time is the engine's ceiling.
    /// </summary>
    public string StateJson { get; } = StateSerializer.Serialize(Instance.State);
}

/// <summary>Why a commit was refused.</summary>
public enum ConflictReason
{
    /// <summary>A bookmark was already consumed.</summary>
    BookmarkConsumed,
    /// <summary>An instance changed since it was read (or already exists).</summary>
    InstanceChanged,
    /// <summary>An early message was already delivered.</summary>
    MessageConsumed,
    /// <summary>An outbox row was already carried out.</summary>
    OutboxCompleted,

    /// <summary>Someone else claimed the task first.</summary>
    TaskClaimed,

    /// <summary>The deadline warning was already raised, or the task is gone.</summary>
    AlarmRaised,

    /// <summary>The task's deadline changed meanwhile, or the task is gone.</summary>
    DeadlineChanged,
}

/// <summary>The result of one commit in a batch.</summary>
/// <param name="Committed">True when it was applied.</param>
/// <param name="Conflict">Why it was refused, if it was a conflict.</param>
/// <param name="Error">The failure, if it failed otherwise (it never fails its neighbours).</param>
public readonly record struct CommitOutcome(bool Committed, ConflictReason? Conflict = null, Exception? Error = null)
{
    /// <summary>Applied.</summary>
    public static CommitOutcome Success { get; } = new(true);

    /// <summary>Refused by a concurrency check.</summary>
    public static CommitOutcome Refused(ConflictReason reason) => new(false, reason);

    /// <summary>Failed with an exception.</summary>
    public static CommitOutcome Failed(Exception error) => new(false, null, error);
}
