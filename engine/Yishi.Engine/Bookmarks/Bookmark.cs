using System.Text.Json.Nodes;

namespace Yishi.Engine.Bookmarks;

/// <summary>What a bookmark waits for.</summary>
public enum BookmarkKind
{
    /// <summary>A person's decision (a task in an inbox).</summary>
    HumanTask,
    /// <summary>A point in time.</summary>
    Timer,
    /// <summary>A named message with a correlation key from outside.</summary>
    Message,
    /// <summary>A child instance to finish.</summary>
    SubWorkflow,
    /// <summary>A ballot to close; the host tallies it and resumes with the outcome.</summary>
    Ballot,
    /// <summary>A consultation to close and be summed up; the host resumes with the summary.</summary>
    Consultation,
    /// <summary>A proposal gathering co-signers; the host resumes it when enough residents signed or its time ran out.</summary>
    Cosign,
}

/// <summary>What an activity asks for when it suspends; the interpreter turns it into a <see cref="Bookmark"/>.</summary>
/// <param name="Kind">What it waits for.</param>
public sealed record BookmarkRequest(BookmarkKind Kind)
{
    /// <summary>Deadline (tasks) or firing time (timers).</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Role that may act on a task.</summary>
    public string? Role { get; init; }

    /// <summary>User that may act on a task.</summary>
    public string? UserId { get; init; }

    /// <summary>Message name waited for.</summary>
    public string? MessageName { get; init; }

    /// <summary>Correlation key of the awaited message.</summary>
    public string? CorrelationKey { get; init; }

    /// <summary>Child instance waited for.</summary>
    public string? ChildInstanceId { get; init; }

    /// <summary>When a task's first deadline warning falls due.</summary>
    public DateTimeOffset? AlarmAt { get; init; }

    /// <summary>Anything else the activity needs on resume or the inbox needs to show (title, form, outcomes).</summary>
    public JsonObject? Payload { get; init; }
}

/// <summary>
/// A persisted wait point. Resuming a bookmark is the only way a waiting instance moves, and a bookmark is
/// consumed exactly once: a second resume gets a conflict.
/// </summary>
public sealed record Bookmark
{
    /// <summary>Unique id.</summary>
    public required string Id { get; init; }

    /// <summary>The instance that waits.</summary>
    public required string InstanceId { get; init; }

    /// <summary>The definition of that instance (for inbox filters).</summary>
    public required string DefinitionId { get; init; }

    /// <summary>The instance's scope (for inbox filters and who may act).</summary>
    public string? Scope { get; init; }

    /// <summary>The activity that waits.</summary>
    public required string ActivityId { get; init; }

    /// <summary>That activity's type.</summary>
    public required string ActivityType { get; init; }

    /// <summary>The token parked on it.</summary>
    public required string TokenId { get; init; }

    /// <summary>What it waits for.</summary>
    public required BookmarkKind Kind { get; init; }

    /// <summary>When it was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Deadline (tasks) or firing time (timers).</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Role that may act on a task.</summary>
    public string? Role { get; init; }

    /// <summary>User that may act on a task.</summary>
    public string? UserId { get; init; }

    /// <summary>Message name waited for.</summary>
    public string? MessageName { get; init; }

    /// <summary>Correlation key of the awaited message.</summary>
    public string? CorrelationKey { get; init; }

    /// <summary>Child instance waited for.</summary>
    public string? ChildInstanceId { get; init; }

    /// <summary>When the task's next deadline warning falls due (a share of the time to <see cref="DueAt"/>); null when none is left.</summary>
    public DateTimeOffset? AlarmAt { get; init; }

    /// <summary>Activity-specific data (task title, form, outcomes…).</summary>
    public JsonObject? Payload { get; init; }

    /// <summary>When it was resumed or withdrawn; null while open. Kept so a late second resume can be told "someone else was first".</summary>
    public DateTimeOffset? ConsumedAt { get; init; }
}
