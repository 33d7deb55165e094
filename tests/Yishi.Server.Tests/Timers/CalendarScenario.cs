using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
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

        await undone.ReadJsonAsync(HttpStatusCode.OK, Ct);
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

    private static string Handle(string definitionId, string due) => $$"""
        { "definitionId": "{{definitionId}}", "name": "Handle a request",
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "handle", "type": "HumanTask", "properties": { "title": "Handle", "assignee": { "role": "mediator" }, "due": {{due}} } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "handle" }, { "from": "handle", "to": "end" } ] }
        """;

    private static async Task<JsonNode> OnlyTaskAsync(HttpClient client, string instanceId)
    {
        using var tasks = await client.GetAsync($"/api/tasks?instanceId={instanceId}", Ct);
        return Assert.Single((await tasks.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray())!;
    }

    private static async Task<string> StartAsync(HttpClient mediator, string definitionId)
    {
        using var started = await mediator.PostAsJsonAsync("/api/instances", new { definitionId, input = new JsonObject() }, Ct);
        return (await started.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
    }

    private static DateTimeOffset Due(JsonNode task) => task["dueAt"]!.GetValue<DateTimeOffset>();

    [Fact]
    public async Task ADayOffInsideAnOpenTasksWorkingDays_MovesItsDeadlineOneWorkingDay_ElapsedDeadlinesStay_UndoMovesItBack()
    {
        var server = NewServer();
        await server.PublishAsync(Handle("five-working-days", """{ "workingDays": 5 }"""), "five-working-days", Ct);
        await server.PublishAsync(Handle("seven-days", "\"P7D\""), "seven-days", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var admin = await server.ClientForAsync("admin", Ct);
        var working = await StartAsync(mediator, "five-working-days");
        var elapsed = await StartAsync(mediator, "seven-days");
        var task = await OnlyTaskAsync(mediator, working);
        var (created, due) = (task["createdAt"]!.GetValue<DateTimeOffset>(), Due(task));
        var elapsedDue = Due(await OnlyTaskAsync(mediator, elapsed));
        var calendar = server.Services.GetRequiredService<IWorkingCalendar>();
        // The last working day before the deadline's day: inside the task's five working days, whenever the test runs.
        var (firstDay, dueDay) = (calendar.DayOf(created), calendar.DayOf(due));
        var dayOff = dueDay.AddDays(-1);
        while (calendar.CountWorkingDays(dayOff.AddDays(-1), dayOff) == 0)
        {
            dayOff = dayOff.AddDays(-1);
        }

        Assert.True(dayOff > firstDay);
        var date = dayOff.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        using var changed = await admin.PutAsJsonAsync($"/api/admin/calendar/days/{date}", new { kind = "off", name = "临时放假" }, Ct);

        Assert.Equal(1, (await changed.ReadJsonAsync(HttpStatusCode.OK, Ct))["deadlinesMoved"]!.GetValue<int>());
        var movedDue = Due(await OnlyTaskAsync(mediator, working));
        Assert.Equal(calendar.AddWorkingDays(due, 1), movedDue);
        Assert.Equal(5, calendar.CountWorkingDays(firstDay, calendar.DayOf(movedDue)));
        Assert.Equal(elapsedDue, Due(await OnlyTaskAsync(mediator, elapsed)));
        using (var journal = await mediator.GetAsync($"/api/instances/{working}/journal", Ct))
        {
            var entries = (await journal.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
            var recounted = Assert.Single(entries, e => e!["kind"]!.GetValue<string>() == "DeadlineRecounted")!;
            Assert.Equal(movedDue, DateTimeOffset.Parse(recounted["message"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        }

        // Another community's day off is not the case's: its deadline stays.
        using var elsewhere = await admin.PutAsJsonAsync($"/api/admin/calendar/days/{date}", new { kind = "off", name = "社区活动", orgUnitId = "c2" }, Ct);
        Assert.Equal(0, (await elsewhere.ReadJsonAsync(HttpStatusCode.OK, Ct))["deadlinesMoved"]!.GetValue<int>());

        using var undone = await admin.DeleteAsync($"/api/admin/calendar/days/{date}", Ct);

        Assert.Equal(1, (await undone.ReadJsonAsync(HttpStatusCode.OK, Ct))["deadlinesMoved"]!.GetValue<int>());
        Assert.Equal(due, Due(await OnlyTaskAsync(mediator, working)));
    }

    [Fact]
    public async Task AWeekendDayMadeAWorkingDay_InsideAnOpenTasksWorkingDays_MovesItsDeadlineOneWorkingDayEarlier()
    {
        var server = NewServer();
        await server.PublishAsync(Handle("ten-working-days", """{ "workingDays": 10 }"""), "ten-working-days", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var admin = await server.ClientForAsync("admin", Ct);
        var working = await StartAsync(mediator, "ten-working-days");
        var task = await OnlyTaskAsync(mediator, working);
        var (created, due) = (task["createdAt"]!.GetValue<DateTimeOffset>(), Due(task));
        var calendar = server.Services.GetRequiredService<IWorkingCalendar>();
        var (firstDay, dueDay) = (calendar.DayOf(created), calendar.DayOf(due));
        // Ten working days always hold a weekend day or holiday that is not worked; the first one after the start.
        var worked = firstDay.AddDays(1);
        while (calendar.CountWorkingDays(worked.AddDays(-1), worked) == 1)
        {
            worked = worked.AddDays(1);
        }

        Assert.True(worked < dueDay);

        using var changed = await admin.PutAsJsonAsync($"/api/admin/calendar/days/{worked.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}",
            new { kind = "work", name = "调休上班" }, Ct);

        Assert.Equal(1, (await changed.ReadJsonAsync(HttpStatusCode.OK, Ct))["deadlinesMoved"]!.GetValue<int>());
        var movedDue = Due(await OnlyTaskAsync(mediator, working));
        Assert.Equal(calendar.AddWorkingDays(due, -1), movedDue);
        Assert.True(movedDue < due);
        Assert.Equal(10, calendar.CountWorkingDays(firstDay, calendar.DayOf(movedDue)));
    }
}
