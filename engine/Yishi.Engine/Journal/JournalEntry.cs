using System.Text.Json.Nodes;

namespace Yishi.Engine.Journal;

/// <summary>What a journal entry records.</summary>
public enum JournalKind
{
    /// <summary>The instance started.</summary>
    InstanceStarted,
    /// <summary>An activity finished (with its outcomes).</summary>
    ActivityCompleted,
    /// <summary>An activity began waiting on a bookmark.</summary>
    BookmarkCreated,
    /// <summary>A bookmark was resumed (by whom, with which outcome).</summary>
    BookmarkResumed,
    /// <summary>A bookmark was withdrawn (another branch won, the instance ended or was cancelled).</summary>
    BookmarkWithdrawn,
    /// <summary>A person took a task from a role's shared inbox.</summary>
    TaskClaimed,
    /// <summary>A share of a task's time to its deadline passed (message: the percentage).</summary>
    DeadlineReached,
    /// <summary>A task's deadline was moved later (message: the new deadline).</summary>
    DeadlineExtended,
    /// <summary>An activity failed.</summary>
    IncidentRaised,
    /// <summary>A person retried the incidents.</summary>
    IncidentRetried,
    /// <summary>A child instance started.</summary>
    ChildStarted,
    /// <summary>A message was delivered.</summary>
    MessageDelivered,
    /// <summary>The instance completed.</summary>
    InstanceCompleted,
    /// <summary>The instance was cancelled.</summary>
    InstanceCancelled,
    /// <summary>Something the host did to the case outside a step: an attachment, a record of a session, a transfer, a party linked.</summary>
    CaseNoted,
    /// <summary>
    /// The case moved to a newer version of its definition (data: <c>fromVersion</c>, <c>toVersion</c>, <c>map</c> of the
    /// renames that applied). Entries before it name the old version's activity ids. Appended last: kinds may be stored as numbers.
    /// </summary>
    InstanceMigrated,
    /// <summary>
    /// An administrator changed the working calendar and a task's working-day deadline moved with it, keeping its
    /// number of working days (message: the new deadline; data: <c>from</c>, the old one). Appended last: kinds may be stored as numbers.
    /// </summary>
    DeadlineRecounted,
}

/// <summary>
/// One append-only record of what happened, written in the same transaction as the state change. It never
/// holds variable or form values (they may be personal data), only names, outcomes and ids.
/// </summary>
/// <param name="InstanceId">The instance.</param>
/// <param name="Sequence">Position in the instance's journal, from 0.</param>
/// <param name="At">When, by the engine's clock.</param>
/// <param name="Kind">What.</param>
public sealed record JournalEntry(string InstanceId, long Sequence, DateTimeOffset At, JournalKind Kind)
{
    /// <summary>The activity concerned.</summary>
    public string? ActivityId { get; init; }

    /// <summary>Its type.</summary>
    public string? ActivityType { get; init; }

    /// <summary>The outcome(s) taken, comma-separated.</summary>
    public string? Outcome { get; init; }

    /// <summary>The bookmark concerned.</summary>
    public string? BookmarkId { get; init; }

    /// <summary>Who acted (user id or <c>system</c>).</summary>
    public string? ActorId { get; init; }

    /// <summary>A short technical note (an incident's message, a cancel reason).</summary>
    public string? Message { get; init; }

    /// <summary>Structured details without personal values (e.g. the names of fields filled).</summary>
    public JsonObject? Data { get; init; }
}
