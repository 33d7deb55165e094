namespace Yishi.Server.Sessions;

/// <summary>
/// A session of a case (调解会 / 协商会) staff have scheduled: when, where, who attends. A change moves it, a
/// cancellation keeps it with its reason; the parties are told each time.
/// </summary>
public sealed class CaseSession
{
    /// <summary>Time-ordered, so a case's sessions list in the order they were scheduled.</summary>
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    /// <summary>The case's org unit path when it was scheduled: who sees it among "my units' sessions".</summary>
    public required string Scope { get; set; }

    /// <summary><c>mediation</c> (调解会) or <c>consultation</c> (协商会).</summary>
    public required string Kind { get; set; }

    /// <summary>When it begins (UTC).</summary>
    public DateTimeOffset StartsAt { get; set; }

    public required string Place { get; set; }

    /// <summary>Who attends, as staff wrote it (names, roles).</summary>
    public string? Attendees { get; set; }

    public string? Note { get; set; }

    /// <summary><c>scheduled</c> or <c>cancelled</c>.</summary>
    public required string Status { get; set; }

    public string? CancelReason { get; set; }

    /// <summary>Counts the changes: part of the id of each message to the parties, so each change is told once.</summary>
    public int Revision { get; set; }

    public required string CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public required string UpdatedBy { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The words and limits of sessions.</summary>
public static class SessionRules
{
    public const string Scheduled = "scheduled";
    public const string Cancelled = "cancelled";

    public const int MaxPlace = 200;
    public const int MaxAttendees = 1_000;
    public const int MaxNote = 2_000;
    public const int MaxReason = 500;

    /// <summary>Upcoming sessions a case may have at once: more is a typo or a script, not a mediation.</summary>
    public const int MaxUpcomingPerCase = 10;

    /// <summary>How far ahead a session may be set: a date next year is almost always a typo.</summary>
    public static readonly TimeSpan MaxAhead = TimeSpan.FromDays(366);

    public static readonly IReadOnlyList<string> Kinds = ["mediation", "consultation"];
}
