using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>One line of a case's journal: what happened, when, at which step, by whom (an id, never a name).</summary>
public sealed record JournalLine(long Sequence, DateTimeOffset At, string Kind, string? ActivityId, string? ActivityType, string? Outcome, string? ActorId, string? Message);

/// <summary>Something a rehearsal waits for: a task, a timer, a message, a ballot, a consultation, a co-signing.</summary>
public sealed record RehearsalWait(string Id, string Kind, string ActivityId, string? Role, string? UserId, DateTimeOffset? DueAt, JsonObject? Details);

/// <summary>A message or document a rehearsal would have produced, rendered; nobody received it.</summary>
public sealed record RehearsalMessage(string Kind, string? ActivityId, DateTimeOffset At, string Template, JsonArray To, string? Title, string? Body, string? Sms, string? Problem);

/// <summary>A rehearsal as it stands, on its own clock.</summary>
public sealed record RehearsalRun(string Id, string DefinitionId, int DefinitionVersion, DateTimeOffset Now, string Status, JsonObject Variables, JsonNode? Result,
    IReadOnlyList<RehearsalWait> Waiting, IReadOnlyList<JournalLine> Journal, IReadOnlyList<RehearsalMessage> Messages)
{
    public bool IsFinished => Status is "Completed" or "Cancelled";
}

/// <summary>A row of the case list.</summary>
public sealed record InstanceRow(string Id, string DefinitionId, int DefinitionVersion, string Status, string? CorrelationKey, string? OrgUnitId,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt);

/// <summary>A failure that waits for a person to retry it.</summary>
public sealed record IncidentRow(string ActivityId, string Message, DateTimeOffset At);

/// <summary>A step a case waits at.</summary>
public sealed record WaitingAt(string ActivityId, string Kind, string? Role, DateTimeOffset? DueAt);

/// <summary>One case as the instance viewer shows it.</summary>
public sealed record InstanceDetail(string Id, string DefinitionId, int DefinitionVersion, string Status, string? CorrelationKey, DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, IReadOnlyList<IncidentRow> Incidents, IReadOnlyList<WaitingAt> Waiting);

/// <summary>What a migration's dry run (or the migration) answers: one row per case.</summary>
public sealed record MigrationAnswer(int ToVersion, int Limit, bool Truncated, IReadOnlyList<MigrationCase> Cases);

/// <summary>One case in a migration: whether it can move, where it would stand, what would be lost, why not.</summary>
public sealed record MigrationCase(string InstanceId, int? FromVersion, string? CorrelationKey, bool CanMigrate, IReadOnlyList<MigrationPlacement> StandsAt,
    IReadOnlyList<MigrationNote> Lost, IReadOnlyList<MigrationNote> Problems)
{
    /// <summary>After a migration: whether it moved.</summary>
    public bool? Migrated { get; init; }

    /// <summary>After a migration: migrated, refused, conflict, not-found or failed.</summary>
    public string? Outcome { get; init; }
}

/// <summary>Where a case would stand: its activity now, the counterpart on the target version, and what waits there.</summary>
public sealed record MigrationPlacement(string From, string To, JsonNode? Name, string Type, string Wait, string? BookmarkId, DateTimeOffset? DueAt);

/// <summary>A warning or a refusal of a migration, at an activity.</summary>
public sealed record MigrationNote(string Code, string? ActivityId, string Message);
