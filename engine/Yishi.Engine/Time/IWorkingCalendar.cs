namespace Yishi.Engine.Time;

/// <summary>Counts working time for deadlines.</summary>
public interface IWorkingCalendar
{
    /// <summary>
    /// The same local time of day <paramref name="days"/> working days after <paramref name="start"/> (before it when
    /// negative: a deadline moved earlier because a weekend day became a working day).
    /// </summary>
    DateTimeOffset AddWorkingDays(DateTimeOffset start, int days);

    /// <summary>The instant <paramref name="hours"/> working hours after <paramref name="start"/>.</summary>
    DateTimeOffset AddWorkingHours(DateTimeOffset start, int hours);

    /// <summary>
    /// The calendar for cases in <paramref name="scope"/> (an org unit's path): a unit may keep days of its own,
    /// such as a village's local festival. By default one calendar serves every unit.
    /// </summary>
    IWorkingCalendar For(string? scope) => this;

    /// <summary>The day <paramref name="instant"/> falls on where working days are counted; by default in UTC.</summary>
    DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.UtcDateTime);

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/>; by default Monday to Friday.</summary>
    int CountWorkingDays(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            count += day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday ? 0 : 1;
        }

        return count;
    }
}
