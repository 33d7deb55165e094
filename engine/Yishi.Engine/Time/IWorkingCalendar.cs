namespace Yishi.Engine.Time;

/// <summary>Counts working time for deadlines. The Time feature supplies China's statutory holidays and 调休 days.</summary>
public interface IWorkingCalendar
{
    /// <summary>The same local time of day <paramref name="days"/> working days after <paramref name="start"/>.</summary>
    DateTimeOffset AddWorkingDays(DateTimeOffset start, int days);

    /// <summary>The instant <paramref name="hours"/> working hours after <paramref name="start"/>.</summary>
    DateTimeOffset AddWorkingHours(DateTimeOffset start, int hours);
}

/// <summary>
/// Monday to Friday, 09:00–17:00 China Standard Time, with no holidays: the engine's default until the
/// holiday calendar is configured.
/// </summary>
public sealed class WeekdayCalendar : IWorkingCalendar
{
    private static readonly TimeSpan ChinaOffset = TimeSpan.FromHours(8);
    private static readonly TimeSpan DayStart = TimeSpan.FromHours(9);
    private static readonly TimeSpan DayEnd = TimeSpan.FromHours(17);

    /// <summary>The shared instance.</summary>
    public static WeekdayCalendar Instance { get; } = new();

    /// <inheritdoc />
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        var local = start.ToOffset(ChinaOffset);
        while (days > 0)
        {
            local = local.AddDays(1);
            if (IsWorkingDay(local))
            {
                days--;
            }
        }

        return local.ToUniversalTime();
    }

    /// <inheritdoc />
    public DateTimeOffset AddWorkingHours(DateTimeOffset start, int hours)
    {
        var local = start.ToOffset(ChinaOffset);
        var remaining = TimeSpan.FromHours(hours);
        while (remaining > TimeSpan.Zero)
        {
            var dayStart = new DateTimeOffset(local.Date + DayStart, ChinaOffset);
            var dayEnd = new DateTimeOffset(local.Date + DayEnd, ChinaOffset);
            if (!IsWorkingDay(local) || local >= dayEnd)
            {
                local = new DateTimeOffset(local.Date.AddDays(1) + DayStart, ChinaOffset);
                continue;
            }

            if (local < dayStart)
            {
                local = dayStart;
            }

            var available = dayEnd - local;
            if (available >= remaining)
            {
                return (local + remaining).ToUniversalTime();
            }

            remaining -= available;
            local = new DateTimeOffset(local.Date.AddDays(1) + DayStart, ChinaOffset);
        }

        return local.ToUniversalTime();
    }

    private static bool IsWorkingDay(DateTimeOffset local) => local.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
}
