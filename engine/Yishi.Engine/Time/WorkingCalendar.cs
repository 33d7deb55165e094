namespace Yishi.Engine.Time;

/// <summary>
/// Working days and hours in one time zone: Monday to Friday, minus statutory days off, plus adjusted working
/// days (调休), from a <see cref="HolidayTable"/>. Working hours run from <see cref="DayStart"/> to
/// <see cref="DayEnd"/> local time. The engine's default is <see cref="China"/>.
/// </summary>
public sealed class WorkingCalendar : IWorkingCalendar
{
    /// <summary>A calendar.</summary>
    public WorkingCalendar(HolidayTable holidays, TimeZoneInfo zone, TimeSpan dayStart, TimeSpan dayEnd)
    {
        if (dayEnd <= dayStart || dayStart < TimeSpan.Zero || dayEnd > TimeSpan.FromHours(24))
        {
            throw new ArgumentException("Working hours must start before they end, within one day.", nameof(dayEnd));
        }

        Holidays = holidays;
        Zone = zone;
        DayStart = dayStart;
        DayEnd = dayEnd;
    }

    /// <summary>China's statutory holidays as shipped, Asia/Shanghai, 09:00–17:00.</summary>
    public static WorkingCalendar China { get; } = new(HolidayTable.China, ChinaStandardTime(), TimeSpan.FromHours(9), TimeSpan.FromHours(17));

    /// <summary>Plain Monday-to-Friday weeks, Asia/Shanghai, 09:00–17:00: no holidays.</summary>
    public static WorkingCalendar Weekdays { get; } = new(HolidayTable.Empty, ChinaStandardTime(), TimeSpan.FromHours(9), TimeSpan.FromHours(17));

    /// <summary>The holidays it counts.</summary>
    public HolidayTable Holidays { get; }

    /// <summary>The time zone days are counted in.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>When a working day starts, local time.</summary>
    public TimeSpan DayStart { get; }

    /// <summary>When a working day ends, local time.</summary>
    public TimeSpan DayEnd { get; }

    /// <summary>The same calendar with other holidays.</summary>
    public WorkingCalendar With(HolidayTable holidays) => new(holidays, Zone, DayStart, DayEnd);

    /// <summary>Is <paramref name="day"/> a working day?</summary>
    public bool IsWorkingDay(DateOnly day) =>
        Holidays.IsAdjustedWorkday(day) || (day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !Holidays.IsDayOff(day));

    /// <summary>Working days after <paramref name="from"/> up to and including <paramref name="to"/> (0 when <paramref name="to"/> is not later).</summary>
    public int CountWorkingDays(DateOnly from, DateOnly to)
    {
        var count = 0;
        for (var day = from.AddDays(1); day <= to; day = day.AddDays(1))
        {
            count += IsWorkingDay(day) ? 1 : 0;
        }

        return count;
    }

    /// <summary>The years between two dates (inclusive) whose holidays this calendar does not know: deadlines there count plain weeks.</summary>
    public IReadOnlyList<int> UncoveredYears(DateOnly from, DateOnly to) =>
        [.. Enumerable.Range(from.Year, Math.Max(0, to.Year - from.Year + 1)).Where(year => !Holidays.Covers(year))];

    /// <inheritdoc />
    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(Local(instant));

    /// <inheritdoc />
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days)
    {
        var local = Local(start);
        var day = DateOnly.FromDateTime(local);
        var step = days < 0 ? -1 : 1;
        for (var left = Math.Abs(days); left > 0;)
        {
            day = day.AddDays(step);
            if (IsWorkingDay(day))
            {
                left--;
            }
        }

        return Instant(day.ToDateTime(TimeOnly.FromTimeSpan(local.TimeOfDay)));
    }

    /// <inheritdoc />
    public DateTimeOffset AddWorkingHours(DateTimeOffset start, int hours)
    {
        var local = Local(start);
        var remaining = TimeSpan.FromHours(hours);
        while (remaining > TimeSpan.Zero)
        {
            var dayStart = local.Date + DayStart;
            var dayEnd = local.Date + DayEnd;
            if (!IsWorkingDay(DateOnly.FromDateTime(local)) || local >= dayEnd)
            {
                local = local.Date.AddDays(1) + DayStart;
                continue;
            }

            if (local < dayStart)
            {
                local = dayStart;
            }

            var available = dayEnd - local;
            if (available >= remaining)
            {
                return Instant(local + remaining);
            }

            remaining -= available;
            local = local.Date.AddDays(1) + DayStart;
        }

        return Instant(local);
    }

    private DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;

    private DateTimeOffset Instant(DateTime local) =>
        new DateTimeOffset(local, Zone.GetUtcOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified))).ToUniversalTime();

    /// <summary>Asia/Shanghai from the system's zone data, or UTC+8 where a machine has none (China has had no daylight saving since 1991).</summary>
    private static TimeZoneInfo ChinaStandardTime()
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return TimeZoneInfo.CreateCustomTimeZone("Asia/Shanghai", TimeSpan.FromHours(8), "China Standard Time", "China Standard Time");
        }
    }
}
