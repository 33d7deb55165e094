using Yishi.Engine.Time;
using Yishi.Server.Identity;

namespace Yishi.Server.Timers;

/// <summary>The working-day calendar deadlines are counted in, for administrators.</summary>
internal static partial class CalendarEndpoints
{
    /// <param name="Year">The year.</param>
    /// <param name="Source">The official notice its dates come from.</param>
    /// <param name="Holidays">Days off.</param>
    /// <param name="Workdays">Weekend days worked (调休).</param>
    public sealed record CalendarYear(int Year, string Source, IReadOnlyList<Holiday> Holidays, IReadOnlyList<DateOnly> Workdays);

    /// <param name="TimeZone">Where days are counted.</param>
    /// <param name="Years">The years whose arrangements are known.</param>
    /// <param name="Uncovered">This year and next, if their arrangements are not known yet: deadlines there count plain Monday–Friday weeks.</param>
    public sealed record CalendarView(string TimeZone, IReadOnlyList<CalendarYear> Years, IReadOnlyList<int> Uncovered);

    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/admin/calendar", (IWorkingCalendar calendar, TimeProvider clock) => TypedResults.Ok(View(calendar, clock)))
            .RequireAuthorization(Policies.Admin).WithTags("Admin").WithName("GetCalendar")
            .WithSummary("The holiday arrangements deadlines are counted with, and the years still missing.")
            .Produces<CalendarView>();
        return app;
    }

    public static CalendarView View(IWorkingCalendar calendar, TimeProvider clock)
    {
        var working = calendar as WorkingCalendar ?? WorkingCalendar.China;
        return new CalendarView(working.Zone.Id,
            [.. working.Holidays.Years.Select(y => new CalendarYear(y.Year, y.Source, y.Holidays, y.Workdays))],
            Uncovered(working, clock));
    }

    /// <summary>This year and the next: deadlines set today reach into both.</summary>
    public static IReadOnlyList<int> Uncovered(WorkingCalendar calendar, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return calendar.UncoveredYears(new DateOnly(today.Year, 1, 1), new DateOnly(today.Year + 1, 12, 31));
    }

    /// <summary>Logged at start-up, so a missing year is seen before a deadline goes wrong.</summary>
    public static void WarnAboutUncoveredYears(IWorkingCalendar calendar, TimeProvider clock, ILogger logger)
    {
        if (calendar is WorkingCalendar working)
        {
            foreach (var year in Uncovered(working, clock))
            {
                LogUncovered(logger, year);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The holiday arrangements for {Year} are not in the calendar: until the State Council's notice is added (engine/Yishi.Engine/Time/china-holidays.json), deadlines in {Year} count plain Monday-to-Friday weeks")]
    private static partial void LogUncovered(ILogger logger, int year);
}
