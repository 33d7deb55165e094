using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Engine.Time;
using Yishi.Server.Data;
using Yishi.Server.Hosting;
using Yishi.Server.OrgUnits;

namespace Yishi.Server.Timers;

/// <summary>
/// The working calendar deadlines are counted with: the shipped statutory holidays, the days administrators
/// changed for everyone, and those changed for a unit, which hold in that unit and below (deeper units win).
/// The engine asks for a case's calendar synchronously, so the changes are held in memory: reloaded after an
/// edit here and every <see cref="Freshness"/> for edits made through another server.
/// </summary>
internal sealed class OrgCalendars : IWorkingCalendar
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);

    private readonly IServiceScopeFactory _scopes;
    private readonly OrgUnitDirectory _directory;
    private volatile Snapshot _snapshot;

    /// <summary>
    /// One load of the changes, with the calendars built from it per scope (dropped with it at the next load). It is a
    /// calendar of its own, so that the calendar as it was before a change can be kept while deadlines are recounted.
    /// </summary>
    private sealed record Snapshot(WorkingCalendar Everyone, IReadOnlyList<(string Path, IReadOnlyList<(DateOnly Day, bool Working)> Changes)> Units) : IWorkingCalendar
    {
        public ConcurrentDictionary<string, WorkingCalendar> ByScope { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days) => Everyone.AddWorkingDays(start, days);

        public DateTimeOffset AddWorkingHours(DateTimeOffset start, int hours) => Everyone.AddWorkingHours(start, hours);

        public int CountWorkingDays(DateOnly from, DateOnly to) => Everyone.CountWorkingDays(from, to);

        public DateOnly DayOf(DateTimeOffset instant) => Everyone.DayOf(instant);

        public IWorkingCalendar For(string? scope)
        {
            if (scope is null || Units.Count == 0)
            {
                return Everyone;
            }

            return ByScope.GetOrAdd(scope, s =>
            {
                var changes = Units.Where(u => s.StartsWith(u.Path, StringComparison.Ordinal)).OrderBy(u => u.Path.Length).SelectMany(u => u.Changes).ToList();
                return changes.Count == 0 ? Everyone : Everyone.With(Everyone.Holidays.With(changes));
            });
        }
    }

    public OrgCalendars(IServiceScopeFactory scopes, OrgUnitDirectory directory, IOptions<ServerOptions> options)
    {
        _scopes = scopes;
        _directory = directory;
        var china = WorkingCalendar.China;
        Base = options.Value.TimeZone == china.Zone.Id ? china : new WorkingCalendar(HolidayTable.China, Zone(options.Value.TimeZone), china.DayStart, china.DayEnd);
        _snapshot = new Snapshot(Base, []);
    }

    /// <summary>The shipped calendar in the configured time zone, before any administrator's change.</summary>
    public WorkingCalendar Base { get; }

    /// <summary>The calendar for every unit that has no days of its own.</summary>
    public WorkingCalendar Everyone => _snapshot.Everyone;

    /// <summary>The calendar as loaded now, unchanged by later loads: what deadlines were counted with before an edit.</summary>
    public IWorkingCalendar Current => _snapshot;

    /// <inheritdoc />
    public DateTimeOffset AddWorkingDays(DateTimeOffset start, int days) => _snapshot.AddWorkingDays(start, days);

    /// <inheritdoc />
    public DateTimeOffset AddWorkingHours(DateTimeOffset start, int hours) => _snapshot.AddWorkingHours(start, hours);

    /// <inheritdoc />
    public int CountWorkingDays(DateOnly from, DateOnly to) => _snapshot.CountWorkingDays(from, to);

    /// <inheritdoc />
    public DateOnly DayOf(DateTimeOffset instant) => _snapshot.DayOf(instant);

    /// <inheritdoc />
    public IWorkingCalendar For(string? scope) => _snapshot.For(scope);

    /// <summary>Reloads the administrators' changes.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var days = await scope.ServiceProvider.GetRequiredService<ServerDbContext>().CalendarDays.AsNoTracking().ToListAsync(cancellationToken);
        var paths = await _directory.PathsAsync(cancellationToken);
        var everyone = Base.With(Base.Holidays.With(days.Where(d => d.OrgUnitId.Length == 0).OrderBy(d => d.Date).Select(Change)));
        var units = days.Where(d => d.OrgUnitId.Length > 0 && paths.ContainsKey(d.OrgUnitId)).GroupBy(d => paths[d.OrgUnitId])
            .Select(g => (g.Key, (IReadOnlyList<(DateOnly, bool)>)[.. g.OrderBy(d => d.Date).Select(Change)])).ToList();
        _snapshot = new Snapshot(everyone, units);
    }

    private static TimeZoneInfo Zone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new InvalidOperationException($"Yishi:TimeZone '{id}' is not a time zone this machine knows (use an IANA id such as Asia/Shanghai).", exception);
        }
    }

    private static (DateOnly Day, bool Working) Change(CalendarDay day) => (day.Date, day.Kind == "work");
}
