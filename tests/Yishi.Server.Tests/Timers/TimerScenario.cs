using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Timers;

public sealed class SqliteTimer : TimerScenario<SqliteTestDatabase>;

public sealed class PostgreSqlTimer : TimerScenario<PostgreSqlTestDatabase>;

/// <summary>
/// The server fires timers by itself, also those that fell due while it was down. Real time, bounded: the
/// hosted sweeper runs on the real clock.
/// </summary>
public abstract class TimerScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static string CoolOff(string duration) => $$"""
        { "definitionId": "cool-off", "name": "Cooling-off period",
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "wait", "type": "Delay", "properties": { "duration": "{{duration}}" } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ] }
        """;

    [Fact]
    public async Task RunningServer_FiresATimerWhenDue()
    {
        var server = NewServer();
        await server.PublishAsync(CoolOff("PT1S"), "cool-off", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        var id = await StartAsync(mediator);

        Assert.Equal("Completed", await WaitForStatusAsync(mediator, id, "Completed"));
    }

    [Fact]
    public async Task TimerDueWhileTheServerWasDown_FiresOnceAtStartUp()
    {
        var first = NewServer();
        await first.PublishAsync(CoolOff("PT3S"), "cool-off", Ct);
        string id;
        var clock = Stopwatch.StartNew();
        using (var mediator = await first.ClientForAsync("mediator", Ct))
        {
            id = await StartAsync(mediator);
            Assert.Equal("Waiting", await StatusAsync(mediator, id));
        }

        await first.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), "the first server ran past the timer's due time; the test proves nothing");
        await Task.Delay(TimeSpan.FromSeconds(3.5) - clock.Elapsed, Ct);

        var second = NewServer();
        using var again = await second.ClientForAsync("mediator", Ct);
        Assert.Equal("Completed", await WaitForStatusAsync(again, id, "Completed"));
        using var journal = await again.GetAsync($"/api/instances/{id}/journal", Ct);
        var entries = (await journal.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        Assert.Single(entries, e => e!["kind"]!.GetValue<string>() == "BookmarkResumed");
    }

    [Fact]
    public async Task TaskDeadline_WarnsItsRoleInTheCasesUnit_NotOtherCommunities()
    {
        Notifications.NotifyWorkflows.CopyShippedTemplates(TemplatesFolder);
        var server = NewServer();
        await server.PublishAsync("""
            { "definitionId": "hotline", "name": "Hotline case",
              "activities": [ { "id": "start", "type": "Start" },
                { "id": "handle", "type": "HumanTask", "properties": { "title": { "zh-CN": "处理热线工单", "en": "Handle the hotline case" },
                  "assignee": { "role": "mediator" }, "due": "PT2S", "warnings": [50, 100] } },
                { "id": "end", "type": "End" } ],
              "connections": [ { "from": "start", "to": "handle" }, { "from": "handle", "to": "end" } ] }
            """, "hotline", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct); // c1, where the case is
        using var heping = await server.ClientForAsync("mediator2", Ct); // c2
        using var started = await mediator.PostAsJsonAsync("/api/instances", new { definitionId = "hotline" }, Ct);
        var id = (await started.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();

        var waited = Stopwatch.StartNew();
        var notices = await DeadlineNoticesAsync(mediator);
        while (notices.Count < 2 && waited.Elapsed < Patience)
        {
            await Task.Delay(200, Ct);
            notices = await DeadlineNoticesAsync(mediator);
        }

        Assert.Equal([$"任务已到期：处理热线工单（案件 {id}）", $"任务时限预警：处理热线工单（案件 {id}）"], notices);
        Assert.Empty(await DeadlineNoticesAsync(heping));
    }

    private static async Task<List<string>> DeadlineNoticesAsync(HttpClient client)
    {
        using var response = await client.GetAsync("/api/inbox", Ct);
        return [.. (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray()
            .Where(n => n!["kind"]!.GetValue<string>() == "notification:task/deadline").Select(n => n!["title"]!.GetValue<string>())];
    }

    [Fact]
    public async Task Admin_SeesTheHolidayYearsAndTheirSources()
    {
        using var admin = await NewServer().ClientForAsync("admin", Ct);

        using var response = await admin.GetAsync("/api/admin/calendar", Ct);

        var calendar = await response.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal("Asia/Shanghai", calendar["timeZone"]!.GetValue<string>());
        var years = calendar["years"]!.AsArray();
        Assert.Equal([2025, 2026], years.Select(y => y!["year"]!.GetValue<int>()));
        Assert.All(years, y => Assert.StartsWith("国务院办公厅关于", y!["source"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Contains(years[1]!["workdays"]!.AsArray(), d => d!.GetValue<string>() == "2026-02-14");
        Assert.NotNull(calendar["uncovered"]);
    }

    private static async Task<string> StartAsync(HttpClient client)
    {
        using var started = await client.PostAsJsonAsync("/api/instances", new { definitionId = "cool-off" }, Ct);
        return (await started.ReadJsonAsync(HttpStatusCode.Created, Ct))["id"]!.GetValue<string>();
    }

    private static async Task<string> StatusAsync(HttpClient client, string id)
    {
        using var response = await client.GetAsync($"/api/instances/{id}", Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct))["status"]!.GetValue<string>();
    }

    private static async Task<string> WaitForStatusAsync(HttpClient client, string id, string wanted)
    {
        var waited = Stopwatch.StartNew();
        var status = await StatusAsync(client, id);
        while (status != wanted && waited.Elapsed < Patience)
        {
            await Task.Delay(100, Ct);
            status = await StatusAsync(client, id);
        }

        return status;
    }
}
