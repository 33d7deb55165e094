using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Runtime;
using Yishi.Engine.Time;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.OrgUnits;
using Yishi.Server.Problems;

namespace Yishi.Server.Timers;

/// <summary>The working-day calendar deadlines are counted in, for administrators.</summary>
internal static partial class CalendarEndpoints
{
    /// <param name="Year">The year.</param>
    /// <param name="Source">The official notice its dates come from.</param>
    /// <param name="Holidays">Days off.</param>
    /// <param name="Workdays">Weekend days worked (调休).</param>
    public sealed record CalendarYear(int Year, string Source, IReadOnlyList<Holiday> Holidays, IReadOnlyList<DateOnly> Workdays);

    /// <param name="OrgUnitId">Empty when the change holds for every unit.</param>
    /// <param name="Date">The day.</param>
    /// <param name="Kind"><c>off</c> or <c>work</c>.</param>
    /// <param name="Name">Why.</param>
    /// <param name="ChangedAt">When.</param>
    public sealed record ChangedDay(string OrgUnitId, DateOnly Date, string Kind, string Name, DateTimeOffset ChangedAt);

    /// <param name="TimeZone">Where days are counted.</param>
    /// <param name="Years">The years whose official arrangements are shipped.</param>
    /// <param name="Uncovered">This year and next, if their arrangements are not known yet: deadlines there count plain Monday–Friday weeks.</param>
    /// <param name="Days">Days administrators changed, for everyone or for a unit and the units below it.</param>
    public sealed record CalendarView(string TimeZone, IReadOnlyList<CalendarYear> Years, IReadOnlyList<int> Uncovered, IReadOnlyList<ChangedDay> Days);

    /// <param name="OrgUnitId">Empty when the change holds for every unit.</param>
    /// <param name="Date">The day.</param>
    /// <param name="Kind"><c>off</c> or <c>work</c>; null when a change was taken back.</param>
    /// <param name="Name">Why; null when a change was taken back.</param>
    /// <param name="ChangedAt">When.</param>
    /// <param name="DeadlinesMoved">Open tasks' working-day deadlines across the day that moved with the change (each journalled in its case).</param>
    public sealed record DayChangeResult(string OrgUnitId, DateOnly Date, string? Kind, string? Name, DateTimeOffset ChangedAt, int DeadlinesMoved);

    /// <param name="Kind"><c>off</c> (a day off) or <c>work</c> (a working day).</param>
    /// <param name="Name">Why, e.g. a local festival or the notice that moved the day.</param>
    /// <param name="OrgUnitId">The unit it holds for (and the units below); every unit when absent.</param>
    public sealed record ChangeDay(string Kind, string Name, string? OrgUnitId);

    public static IEndpointRouteBuilder MapCalendarEndpoints(this IEndpointRouteBuilder app)
    {
        var calendar = app.MapGroup("/api/admin/calendar").RequireAuthorization(Policies.Admin).WithTags("Admin");
        calendar.MapGet("/", GetAsync).WithName("GetCalendar")
            .WithSummary("The holiday arrangements deadlines are counted with, the years still missing, and the days administrators changed.")
            .Produces<CalendarView>();
        calendar.MapPut("/days/{date}", ChangeAsync).WithName("ChangeCalendarDay")
            .WithSummary("Makes a day a day off or a working day, for every unit or for one unit and the units below. Deadlines set from now on count with it, and open tasks' working-day deadlines across the day move with it (journalled in each case).")
            .Produces<DayChangeResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        calendar.MapDelete("/days/{date}", UndoAsync).WithName("UndoCalendarDay")
            .WithSummary("Takes back a change of a day (orgUnitId in the query for a unit's own change); open tasks' working-day deadlines across the day move back.")
            .Produces<DayChangeResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> GetAsync(OrgCalendars calendars, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var shipped = calendars.Base;
        var days = await db.CalendarDays.AsNoTracking().OrderBy(d => d.Date).ThenBy(d => d.OrgUnitId).ToListAsync(cancellationToken);
        return TypedResults.Ok(new CalendarView(shipped.Zone.Id,
            [.. shipped.Holidays.Years.Select(y => new CalendarYear(y.Year, y.Source, y.Holidays, y.Workdays))],
            Uncovered(shipped, clock),
            [.. days.Select(d => new ChangedDay(d.OrgUnitId, d.Date, d.Kind, d.Name, d.ChangedAt))]));
    }

    private static async Task<IResult> ChangeAsync(string date, ChangeDay request, ClaimsPrincipal user, ServerDbContext db, OrgUnitDirectory directory,
        OrgCalendars calendars, WorkflowRuntime runtime, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await CheckAsync(date, request.OrgUnitId, directory, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (request.Kind is not ("off" or "work") || string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return Problem.Of(400, "bad-request", "Bad day", "kind is 'off' or 'work', and name (up to 200 characters) says why.");
        }

        var day = DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var unit = request.OrgUnitId ?? "";
        var row = await db.CalendarDays.FirstOrDefaultAsync(d => d.OrgUnitId == unit && d.Date == day, cancellationToken);
        if (row is null)
        {
            row = new CalendarDay { OrgUnitId = unit, Date = day, Kind = request.Kind, Name = request.Name, ChangedBy = user.UserId() };
            db.CalendarDays.Add(row);
        }

        row.Kind = request.Kind;
        row.Name = request.Name;
        row.ChangedBy = user.UserId();
        row.ChangedAt = clock.GetUtcNow();
        var before = calendars.Current;
        await db.SaveChangesAsync(cancellationToken);
        var moved = await RecountAsync(day, unit, before, calendars, directory, runtime, cancellationToken);
        return TypedResults.Ok(new DayChangeResult(row.OrgUnitId, row.Date, row.Kind, row.Name, row.ChangedAt, moved));
    }

    private static async Task<IResult> UndoAsync(string date, string? orgUnitId, ServerDbContext db, OrgUnitDirectory directory, OrgCalendars calendars,
        WorkflowRuntime runtime, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await CheckAsync(date, orgUnitId, directory, cancellationToken) is { } problem)
        {
            return problem;
        }

        var day = DateOnly.ParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var unit = orgUnitId ?? "";
        var row = await db.CalendarDays.FirstOrDefaultAsync(d => d.OrgUnitId == unit && d.Date == day, cancellationToken);
        if (row is null)
        {
            return Problem.Of(404, "not-found", "Not found", $"{date} was not changed{(unit.Length > 0 ? $" for '{unit}'" : "")}.");
        }

        db.CalendarDays.Remove(row);
        var before = calendars.Current;
        await db.SaveChangesAsync(cancellationToken);
        var moved = await RecountAsync(day, unit, before, calendars, directory, runtime, cancellationToken);
        return TypedResults.Ok(new DayChangeResult(unit, day, null, null, clock.GetUtcNow(), moved));
    }

    /// <summary>
    /// Loads the changed calendar and moves the open working-day deadlines that span the day, in the unit's cases only
    /// when the change is a unit's. A server that did not make the change loads it within <see cref="OrgCalendars.Freshness"/>;
    /// the deadlines have moved by then, here.
    /// </summary>
    private static async Task<int> RecountAsync(DateOnly day, string unit, IWorkingCalendar before, OrgCalendars calendars, OrgUnitDirectory directory,
        WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        await calendars.RefreshAsync(cancellationToken);
        var scope = unit.Length == 0 ? null : await directory.PathOfAsync(unit, cancellationToken);
        return (await runtime.RecountDeadlinesAsync(before, day, scope, cancellationToken)).Count;
    }

    /// <summary>What is wrong with a date and org unit from the request, or null.</summary>
    private static async Task<IResult?> CheckAsync(string date, string? orgUnitId, OrgUnitDirectory directory, CancellationToken cancellationToken)
    {
        if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            return Problem.Of(400, "bad-request", "Bad date", $"'{date}' is not a date (yyyy-MM-dd).");
        }

        return orgUnitId is not null && await directory.PathOfAsync(orgUnitId, cancellationToken) is null
            ? Problem.Of(400, "bad-request", "Bad org unit", $"There is no org unit '{orgUnitId}'.")
            : null;
    }

    /// <summary>This year and the next: deadlines set today reach into both.</summary>
    public static IReadOnlyList<int> Uncovered(WorkingCalendar calendar, TimeProvider clock)
    {
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        return calendar.UncoveredYears(new DateOnly(today.Year, 1, 1), new DateOnly(today.Year + 1, 12, 31));
    }

    /// <summary>Logged at start-up, so a missing year is seen before a deadline goes wrong.</summary>
    public static void WarnAboutUncoveredYears(OrgCalendars calendars, TimeProvider clock, ILogger logger)
    {
        foreach (var year in Uncovered(calendars.Base, clock))
        {
            LogUncovered(logger, year);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The holiday arrangements for {Year} are not in the calendar: until the State Council's notice is added (engine/Yishi.Engine/Time/china-holidays.json), deadlines in {Year} count plain Monday-to-Friday weeks")]
    private static partial void LogUncovered(ILogger logger, int year);
}
