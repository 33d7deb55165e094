namespace Yishi.Server.Sessions;

/// <summary>A session to schedule, or the whole of a change to one (a field left out is cleared, or refused if required).</summary>
/// <param name="Kind"><c>mediation</c> (调解会) or <c>consultation</c> (协商会).</param>
/// <param name="StartsAt">When it begins, with its offset (Beijing time from the workbench); not in the past, at most a year ahead.</param>
/// <param name="Place">Where, at most 200 characters.</param>
/// <param name="Attendees">Who attends, free text of at most 1,000 characters.</param>
/// <param name="Note">What the parties should know or bring, at most 2,000 characters.</param>
internal sealed record ScheduleSession(string? Kind, DateTimeOffset? StartsAt, string? Place, string? Attendees, string? Note);

/// <summary>Why a session is called off (told to the parties).</summary>
/// <param name="Reason">At most 500 characters.</param>
internal sealed record CancelSession(string? Reason);

/// <summary>A session as its readers see it.</summary>
/// <param name="Id">The session's id.</param>
/// <param name="InstanceId">The case.</param>
/// <param name="Kind"><c>mediation</c> or <c>consultation</c>.</param>
/// <param name="StartsAt">When it begins (UTC).</param>
/// <param name="Place">Where.</param>
/// <param name="Attendees">Who attends, as staff wrote it.</param>
/// <param name="Note">A note for the parties.</param>
/// <param name="Status"><c>scheduled</c> or <c>cancelled</c>.</param>
/// <param name="CancelReason">Why it was called off.</param>
/// <param name="Revision">0 when scheduled, one more with each change.</param>
/// <param name="UpdatedAt">When it last changed.</param>
internal sealed record SessionView(string Id, string InstanceId, string Kind, DateTimeOffset StartsAt, string Place, string? Attendees, string? Note, string Status,
    string? CancelReason, int Revision, DateTimeOffset UpdatedAt)
{
    public static SessionView Of(CaseSession s) =>
        new(s.Id, s.InstanceId, s.Kind, s.StartsAt, s.Place, s.Attendees, s.Note, s.Status, s.CancelReason, s.Revision, s.UpdatedAt);
}
