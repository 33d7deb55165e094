using Yishi.Engine.Time;
using Yishi.Server.Timers;

namespace Yishi.Server.Workbench;

/// <summary>
/// How long a task has left, in working days of the case's own calendar (its unit's holidays and adjusted days), as
/// mediators count their deadlines: "3 working days left", "due today", "2 working days overdue".
/// </summary>
/// <param name="DueAt">The deadline (UTC); the page shows it in the calendar's time zone.</param>
/// <param name="WorkingDaysLeft">Working days after today up to the deadline's day; negative when overdue (working days since it).</param>
/// <param name="Overdue">Whether the deadline has passed.</param>
/// <param name="Warning">Whether more than <see cref="WarningShare"/> of the time to the deadline has passed (and it has not yet).</param>
/// <param name="DueLocal">The deadline in the calendar's time zone, for display (e.g. Beijing time).</param>
internal sealed record Countdown(DateTimeOffset DueAt, int WorkingDaysLeft, bool Overdue, bool Warning, DateTimeOffset DueLocal)
{
    /// <summary>The share of the time to a deadline after which a task is flagged.</summary>
    public const double WarningShare = 0.8;

    /// <summary>The countdown of a task created at <paramref name="createdAt"/> and due at <paramref name="dueAt"/>, in the case's calendar; null without a deadline.</summary>
    public static Countdown? Of(DateTimeOffset createdAt, DateTimeOffset? dueAt, string? scope, OrgCalendars calendars, DateTimeOffset now)
    {
        if (dueAt is not { } due)
        {
            return null;
        }

        var calendar = calendars.For(scope);
        var zone = (calendar as WorkingCalendar ?? calendars.Base).Zone;
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        var dueLocal = TimeZoneInfo.ConvertTime(due, zone);
        var dueDay = DateOnly.FromDateTime(dueLocal.DateTime);
        var overdue = now > due;
        var left = overdue ? -calendar.CountWorkingDays(dueDay, today) : calendar.CountWorkingDays(today, dueDay);
        var span = (due - createdAt).TotalSeconds;
        var warning = !overdue && span > 0 && (now - createdAt).TotalSeconds / span > WarningShare;
        return new Countdown(due, left, overdue, warning, dueLocal);
    }
}
