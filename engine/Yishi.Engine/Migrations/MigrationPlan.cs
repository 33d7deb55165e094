using System.Collections.Immutable;
using Yishi.Engine.Definitions;

namespace Yishi.Engine.Migrations;

/// <summary>What to migrate to: a newer published version of a definition, with renames for activities whose id changed.</summary>
/// <param name="DefinitionId">The definition whose cases move.</param>
/// <param name="ToVersion">The version they move to.</param>
/// <param name="Map">Old activity id → new activity id, for renamed activities; activities not named keep their id.</param>
public sealed record MigrationRequest(string DefinitionId, int ToVersion, IReadOnlyDictionary<string, string> Map);

/// <summary>What a live point of a case is doing: what it waits for, or why it stands still.</summary>
public enum WaitKind
{
    /// <summary>A person's task (in an inbox).</summary>
    Task,
    /// <summary>A timer (Delay / Until).</summary>
    Timer,
    /// <summary>A message from outside.</summary>
    Message,
    /// <summary>A child instance to finish.</summary>
    SubWorkflow,
    /// <summary>A ballot to close.</summary>
    Ballot,
    /// <summary>A consultation to close and be summed up.</summary>
    Consultation,
    /// <summary>A proposal gathering co-signers.</summary>
    Cosign,
    /// <summary>A Join 'all' holding arrived branches until the others come.</summary>
    Join,
    /// <summary>A failed activity waiting for retry (runs again, by the new version's properties, when retried).</summary>
    Incident,
    /// <summary>A token of a faulted case that had not run yet (runs when the case is retried).</summary>
    Ready,
}

/// <summary>Something the migration says about a case: a warning (what would be lost or kept as it was) or a refusal.</summary>
/// <param name="Code">Stable code (<see cref="MigrationCodes"/>) a client can switch on.</param>
/// <param name="ActivityId">The activity concerned, as the case's current version names it; null when about the case or a variable.</param>
/// <param name="Message">What and why, in plain words, without variable values (they may be personal data).</param>
public sealed record MigrationNote(string Code, string? ActivityId, string Message);

/// <summary>Where one live point of a case would stand after the migration.</summary>
/// <param name="From">The activity in the case's current version.</param>
/// <param name="To">Its counterpart in the target version.</param>
/// <param name="Name">The counterpart's display name (its display name, else its title, else its id).</param>
/// <param name="Type">The activity type (the same on both sides: a type change is refused).</param>
/// <param name="Wait">What it waits for.</param>
/// <param name="BookmarkId">The open bookmark, which keeps its id, deadline and payload.</param>
/// <param name="DueAt">The bookmark's deadline or firing time, unchanged by the migration.</param>
public sealed record MigrationPlacement(string From, string To, LocalizedText Name, string Type, WaitKind Wait, string? BookmarkId = null, DateTimeOffset? DueAt = null);

/// <summary>
/// The dry run of moving one case to a newer version: whether it can move, where it would stand, what would be
/// lost. Executing a plan changes exactly what it describes, nothing more; see <see cref="MigrationPlanner"/> for the rules.
/// </summary>
/// <param name="InstanceId">The case.</param>
/// <param name="DefinitionId">Its definition.</param>
/// <param name="FromVersion">The version it runs on now.</param>
/// <param name="ToVersion">The version it would run on.</param>
/// <param name="CorrelationKey">Its business key, to recognise it in a list.</param>
/// <param name="StandsAt">Each live point (waiting token, failed or ready token, join with arrivals) and its counterpart.</param>
/// <param name="Warnings">What would be lost, or kept as it was set up under the old version.</param>
/// <param name="Problems">Why it cannot move; empty when it can.</param>
public sealed record MigrationPlan(string InstanceId, string DefinitionId, int FromVersion, int ToVersion, string? CorrelationKey,
    ImmutableArray<MigrationPlacement> StandsAt, ImmutableArray<MigrationNote> Warnings, ImmutableArray<MigrationNote> Problems)
{
    /// <summary>True when nothing refuses the move.</summary>
    public bool CanMigrate => Problems.IsEmpty;

    /// <summary>The renames that apply to this case (old id → new id, only where they differ), as journaled.</summary>
    public ImmutableSortedDictionary<string, string> Renames { get; init; } = ImmutableSortedDictionary<string, string>.Empty;
}

/// <summary>How a migration of one case ended.</summary>
public enum MigrationStatus
{
    /// <summary>Committed: the case runs on the target version.</summary>
    Migrated,
    /// <summary>The plan refuses it (see its problems); nothing was written.</summary>
    Refused,
    /// <summary>A step committed on the case meanwhile; nothing was written. Run the dry run again and retry.</summary>
    Conflict,
    /// <summary>No such case (or not one the actor reaches).</summary>
    NotFound,
    /// <summary>The store failed; nothing was written.</summary>
    Failed,
}

/// <summary>The result of migrating one case.</summary>
/// <param name="InstanceId">The case asked for.</param>
/// <param name="Status">How it ended.</param>
/// <param name="Plan">The plan it followed or that refused it; null when the case was not found.</param>
/// <param name="Message">A plain explanation when it did not migrate.</param>
public sealed record MigrationResult(string InstanceId, MigrationStatus Status, MigrationPlan? Plan, string? Message = null)
{
    /// <summary>True when committed.</summary>
    public bool Migrated => Status == MigrationStatus.Migrated;
}

/// <summary>Whether a migration request makes sense before any case is looked at.</summary>
/// <param name="TargetFound">False when the target version does not exist.</param>
/// <param name="Problems">What is wrong with the target or the map (each with the activity concerned).</param>
public sealed record MigrationCheck(bool TargetFound, ImmutableArray<MigrationNote> Problems)
{
    /// <summary>True when cases can be planned against this target and map.</summary>
    public bool Succeeded => TargetFound && Problems.IsEmpty;
}

/// <summary>The stable codes of <see cref="MigrationNote"/>.</summary>
public static class MigrationCodes
{
#pragma warning disable CS1591 // The names say what they are.
    // Request-level refusals.
    public const string UnknownVersion = "migration.unknown-version";
    public const string NotPublished = "migration.target-not-published";
    public const string NothingOlder = "migration.nothing-older";
    public const string UnknownMapTarget = "migration.map-unknown-target";
    public const string UnknownMapSource = "migration.map-unknown-source";

    // Per-case refusals.
    public const string Finished = "migration.instance-finished";
    public const string OtherDefinition = "migration.other-definition";
    public const string NotNewer = "migration.not-newer";
    public const string ActivityRemoved = "migration.activity-removed";
    public const string TypeChanged = "migration.type-changed";
    public const string MapCollision = "migration.map-collision";
    public const string NoOutcomeLeft = "migration.task-no-outcome-left";
    public const string BookmarkMissing = "migration.bookmark-missing";

    // Per-case warnings.
    public const string JoinArrivalLost = "migration.join-arrival-lost";
    public const string JoinRemoved = "migration.join-removed";
    public const string JoinFiresNextStep = "migration.join-fires-next-step";
    public const string IncidentDropped = "migration.incident-dropped";
    public const string StaleBookmarkWithdrawn = "migration.stale-bookmark-withdrawn";
    public const string VariableUndeclared = "migration.variable-undeclared";
    public const string VariableTypeChanged = "migration.variable-type-changed";
    public const string VariableAdded = "migration.variable-added";
    public const string TaskKeepsSetup = "migration.task-keeps-setup";
    public const string TaskOutcomeGone = "migration.task-outcome-gone";
    public const string TaskFormChanged = "migration.task-form-changed";
    public const string WaitKeepsSetup = "migration.wait-keeps-setup";
    public const string ChildStays = "migration.child-stays";
    public const string RetryRunsNewVersion = "migration.retry-runs-new-version";
#pragma warning restore CS1591
}
