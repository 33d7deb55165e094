using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Engine.Time;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Timers;

public sealed class SqliteCalendar : CalendarScenario<SqliteTestDatabase>;

public sealed class PostgreSqlCalendar : CalendarScenario<PostgreSqlTestDatabase>;

/// <summary>Administrators change days for everyone or for one unit; the cases of that unit and below count with them.</summary>
public abstract class CalendarScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    [Fact]
    public async Task VillageFestival_IsADayOffInTheVillageOnly_AndASaturdayWorkedForEveryone()
    {
        var server = NewServer();
        using var admin = await server.ClientForAsync("admin", Ct);
        using var festival = await admin.PutAsJsonAsync("/api/admin/calendar/days/2026-12-01", new { kind = "off", name = "东坪村庙会", orgUnitId = "v1" }, Ct);
        using var saturday = await admin.PutAsJsonAsync("/api/admin/calendar/days/2026-12-05", new { kind = "work", name = "调休上班" }, Ct);
        await festival.ReadJsonAsync(HttpStatusCode.OK, Ct);
        await saturday.ReadJsonAsync(HttpStatusCode.OK, Ct);
        var calendars = server.Services.GetRequiredService<IWorkingCalendar>();
        var monday = new DateTimeOffset(2026, 11, 30, 10, 0, 0, China);
        var friday = new DateTimeOffset(2026, 12, 4, 10, 0, 0, China);

        Assert.Equal(monday.AddDays(2), calendars.For("/s1/v1/v1-g1/").AddWorkingDays(monday, 1));
        Assert.Equal(monday.AddDays(1), calendars.For("/s1/c1/").AddWorkingDays(monday, 1));
        Assert.Equal(friday.AddDays(1), calendars.For("/s1/c2/").AddWorkingDays(friday, 1));
        using var view = await admin.GetAsync("/api/admin/calendar", Ct);
        var days = (await view.ReadJsonAsync(HttpStatusCode.OK, Ct))["days"]!.AsArray();
        Assert.Equal([("v1", "2026-12-01", "off"), ("", "2026-12-05", "work")],
            days.Select(d => (d!["orgUnitId"]!.GetValue<string>(), d["date"]!.GetValue<string>(), d["kind"]!.GetValue<string>())).OrderBy(d => d.Item2));

        using var undone = await admin.DeleteAsync("/api/admin/calendar/days/2026-12-01?orgUnitId=v1", Ct);
        using var again = await admin.DeleteAsync("/api/admin/calendar/days/2026-12-01?orgUnitId=v1", Ct);

        Assert.Equal(HttpStatusCode.NoContent, undone.StatusCode);
        await again.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
        Assert.Equal(monday.AddDays(1), calendars.For("/s1/v1/v1-g1/").AddWorkingDays(monday, 1));
    }

    [Theory]
    [InlineData("2026-13-01", "off", "v1")]
    [InlineData("2026-12-01", "holiday", null)]
    [InlineData("2026-12-01", "off", "no-such-unit")]
    public async Task BadChange_IsA400_AndChangesNothing(string date, string kind, string? orgUnitId)
    {
        var server = NewServer();
        using var admin = await server.ClientForAsync("admin", Ct);

        using var response = await admin.PutAsJsonAsync($"/api/admin/calendar/days/{date}", new { kind, name = "x", orgUnitId }, Ct);

        await response.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", Ct);
        using var view = await admin.GetAsync("/api/admin/calendar", Ct);
        Assert.Empty((await view.ReadJsonAsync(HttpStatusCode.OK, Ct))["days"]!.AsArray());
    }
}
