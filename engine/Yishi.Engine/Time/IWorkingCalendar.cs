namespace Yishi.Engine.Time;

/// <summary>Counts working time for deadlines.</summary>
public interface IWorkingCalendar
{
    /// <summary>The same local time of day <paramref name="days"/> working days after <paramref name="start"/>.</summary>
    DateTimeOffset AddWorkingDays(DateTimeOffset start, int days);

    /// <summary>The instant <paramref name="hours"/> working hours after <paramref name="start"/>.</summary>
    DateTimeOffset AddWorkingHours(DateTimeOffset start, int hours);
}
