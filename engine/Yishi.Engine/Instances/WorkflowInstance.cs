using System.Text.Json.Nodes;

namespace Yishi.Engine.Instances;

/// <summary>Where an instance is in its life.</summary>
public enum InstanceStatus
{
    /// <summary>Has tokens ready to run (only inside a step).</summary>
    Running,
    /// <summary>Every token waits on a bookmark.</summary>
    Waiting,
    /// <summary>Finished.</summary>
    Completed,
    /// <summary>Stopped by a person.</summary>
    Cancelled,
    /// <summary>An activity failed; see the incidents.</summary>
    Faulted,
}

/// <summary>
/// One run of one version of a definition. The columns a store indexes are properties here; everything the
/// interpreter needs to continue lives in <see cref="State"/>, stored as one JSON document.
/// </summary>
public sealed class WorkflowInstance
{
    /// <summary>Unique id.</summary>
    public required string Id { get; init; }

    /// <summary>The definition it runs.</summary>
    public required string DefinitionId { get; init; }

    /// <summary>The version it started on and stays on.</summary>
    public required int DefinitionVersion { get; init; }

    /// <summary>Life-cycle status.</summary>
    public InstanceStatus Status { get; set; }

    /// <summary>A business key (e.g. a hotline ticket number) for finding it and routing messages.</summary>
    public string? CorrelationKey { get; init; }

    /// <summary>
    /// Who it belongs to, as a path (an org unit's <c>/street/community/</c>): lists and inboxes filter by prefix,
    /// and actors with a scope reach only what lies inside theirs. Sub-workflows inherit it. Null: unscoped.
    /// </summary>
    public string? Scope { get; init; }

    /// <summary>The instance that started it as a sub-workflow.</summary>
    public string? ParentInstanceId { get; init; }

    /// <summary>The parent's bookmark waiting for it.</summary>
    public string? ParentBookmarkId { get; init; }

    /// <summary>When it started.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When it last changed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>When it completed, was cancelled or faulted.</summary>
    public DateTimeOffset? FinishedAt { get; set; }

    /// <summary>Optimistic-concurrency version: 0 before the first commit, +1 on each.</summary>
    public long Version { get; set; }

    /// <summary>The interpreter's state.</summary>
    public InstanceState State { get; set; } = new();

    /// <summary>True once nothing more can happen.</summary>
    public bool IsFinished => Status is InstanceStatus.Completed or InstanceStatus.Cancelled;
}

/// <summary>The interpreter's state of an instance; serialized as a whole.</summary>
public sealed class InstanceState
{
    /// <summary>Variable values by name.</summary>
    public JsonObject Variables { get; set; } = [];

    /// <summary>Outputs of finished activities by activity id (<c>activities.review.outcome</c> in expressions).</summary>
    public JsonObject Activities { get; set; } = [];

    /// <summary>Live tokens.</summary>
    public List<Token> Tokens { get; set; } = [];

    /// <summary>Arrivals at joins: join id → inbound connection index → count.</summary>
    public Dictionary<string, Dictionary<int, int>> Joins { get; set; } = [];

    /// <summary>Failures waiting for retry or cancel.</summary>
    public List<Incident> Incidents { get; set; } = [];

    /// <summary>The result an End activity produced.</summary>
    public JsonNode? Result { get; set; }

    /// <summary>Counter for deterministic ids of tokens and bookmarks.</summary>
    public long NextId { get; set; }

    /// <summary>Sequence number of the next journal entry.</summary>
    public long NextJournalSequence { get; set; }
}

/// <summary>Where a token is.</summary>
public enum TokenStatus
{
    /// <summary>About to execute its activity.</summary>
    Ready,
    /// <summary>Parked on a bookmark.</summary>
    Waiting,
    /// <summary>Its activity failed; see the incident.</summary>
    Faulted,
}

/// <summary>A point of control in the flowchart.</summary>
/// <param name="Id">Unique within the instance.</param>
/// <param name="ActivityId">Where it is.</param>
/// <param name="Status">What it is doing.</param>
/// <param name="BookmarkId">The bookmark it waits on.</param>
/// <param name="ArrivedVia">Index of the connection it came through (joins need it).</param>
public sealed record Token(string Id, string ActivityId, TokenStatus Status, string? BookmarkId = null, int? ArrivedVia = null);

/// <summary>An activity failure that needs a person: retry or cancel.</summary>
/// <param name="Id">Unique within the instance.</param>
/// <param name="ActivityId">Where it happened.</param>
/// <param name="TokenId">The token that failed.</param>
/// <param name="Message">What happened.</param>
/// <param name="At">When.</param>
/// <param name="Property">The property at fault, if known.</param>
public sealed record Incident(string Id, string ActivityId, string TokenId, string Message, DateTimeOffset At, string? Property = null);
