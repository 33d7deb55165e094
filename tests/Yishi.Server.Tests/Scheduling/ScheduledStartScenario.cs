using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Quartz;
using Yishi.Engine.EntityFrameworkCore;
using Yishi.Server.Scheduling;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Scheduling;

public sealed class SqliteScheduledStart : ScheduledStartScenario<SqliteTestDatabase>;

public sealed class PostgreSqlScheduledStart : ScheduledStartScenario<PostgreSqlTestDatabase>;

/// <summary>
/// Quartz keeps the schedule in its ADO.NET job store and starts workflows whose Start activity has a cron schedule.
/// Real time, bounded: Quartz runs on the real clock, and the schedule fires every second.
/// </summary>
public abstract class ScheduledStartScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static readonly string[] QuartzTables =
        ["JOB_DETAILS", "TRIGGERS", "SIMPLE_TRIGGERS", "CRON_TRIGGERS", "SIMPROP_TRIGGERS", "BLOB_TRIGGERS", "CALENDARS",
         "PAUSED_TRIGGER_GRPS", "FIRED_TRIGGERS", "SCHEDULER_STATE", "LOCKS"];

    private static string Roll(string cron) => $$"""
        { "definitionId": "roll-call", "name": "Daily roll call",
          "activities": [ { "id": "start", "type": "Start", "properties": { "trigger": "cron", "cron": "{{cron}}" } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "end" } ] }
        """;

    [Fact]
    public async Task StartUp_CreatesQuartzTables_AndASecondStartKeepsThem()
    {
        var first = NewServer();
        using (var anonymous = first.Anonymous())
        {
            using var health = await anonymous.GetAsync("/health", Ct);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        Assert.Equal(QuartzTables, await QuartzTablesAsync(first));
        await first.DisposeAsync();

        var second = NewServer();
        using var again = second.Anonymous();
        using var healthAgain = await again.GetAsync("/health", Ct);
        Assert.Equal(HttpStatusCode.OK, healthAgain.StatusCode);
        Assert.Equal(QuartzTables, await QuartzTablesAsync(second));
    }

    [Fact]
    public async Task CronWorkflow_StartsByItself_UntilRetired()
    {
        var server = NewServer();
        await server.PublishAsync(Roll("* * * * * ?"), "roll-call", Ct);
        using var admin = await server.ClientForAsync("admin", Ct);

        var started = await WaitForMoreThanAsync(admin, 1);
        Assert.True(started.Count > 1, $"only {started.Count} scheduled starts within {Patience.TotalSeconds} s");
        Assert.All(started, i => Assert.False(string.IsNullOrEmpty(i!["orgUnitId"]?.GetValue<string>()), "a scheduled start is scoped to the owner's org unit"));

        using var staff = await server.ClientForAsync("staff", Ct);
        using (var retired = await staff.PostAsync("/api/definitions/roll-call/retire?version=1", null, Ct))
        {
            await retired.ReadJsonAsync(HttpStatusCode.OK, Ct);
        }

        // A firing already under way when the trigger went may still finish.
        await Task.Delay(TimeSpan.FromSeconds(1.5), Ct);
        var afterRetiring = (await InstancesAsync(admin)).Count;
        await Task.Delay(TimeSpan.FromSeconds(3), Ct);
        Assert.Equal(afterRetiring, (await InstancesAsync(admin)).Count);
        // Not merely failing to start: the trigger itself is gone.
        var scheduler = await server.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);
        Assert.Empty(await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(ScheduledStarts.Group), Ct));
    }

    [Fact]
    public async Task Schedule_SurvivesARestart_WithoutASecondTrigger()
    {
        var first = NewServer();
        await first.PublishAsync(Roll("* * * * * ?"), "roll-call", Ct);
        using (var admin = await first.ClientForAsync("admin", Ct))
        {
            Assert.NotEmpty(await WaitForMoreThanAsync(admin, 0));
        }

        await first.DisposeAsync();

        var second = NewServer();
        using var again = await second.ClientForAsync("admin", Ct);
        var before = (await InstancesAsync(again)).Count;
        var after = await WaitForMoreThanAsync(again, before + 1);
        Assert.True(after.Count > before + 1, $"the restarted server started {after.Count - before} instances within {Patience.TotalSeconds} s");

        var scheduler = await second.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Ct);
        var jobs = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(ScheduledStarts.Group), Ct);
        Assert.Equal("roll-call", Assert.Single(jobs).Name);
        Assert.Single(await scheduler.GetTriggersOfJob(jobs.Single(), Ct));
    }

    [Fact]
    public async Task Publish_UnreadableCron_IsRefusedAtTheProperty()
    {
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(Roll("every morning")), Ct))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
        }

        using var published = await staff.PostAsync("/api/definitions/roll-call/publish", null, Ct);

        var problem = await published.ReadJsonAsync(HttpStatusCode.UnprocessableEntity, Ct);
        var only = Assert.Single(problem["problems"]!.AsArray())!;
        Assert.Equal("start", only["activityId"]!.GetValue<string>());
        Assert.Equal("cron", only["property"]!.GetValue<string>());
        Assert.Contains("every morning", only["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>Quartz's tables (without prefix, in <see cref="QuartzTables"/> order) that the server's Quartz store holds.</summary>
    private static async Task<string[]> QuartzTablesAsync(YishiFactory server)
    {
        var database = server.Services.GetRequiredService<YishiDatabase>();
        var names = new List<string>();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            var engineFile = new SqliteConnectionStringBuilder(database.ConnectionString).DataSource;
            var quartzFile = Path.Combine(Path.GetDirectoryName(engineFile)!, "yishi-quartz.db");
            Assert.True(File.Exists(quartzFile), $"no Quartz database at {quartzFile}");
            Assert.Empty(await TableNamesAsync(new SqliteConnection(database.ConnectionString), "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'QRTZ%'"));
            names.AddRange(await TableNamesAsync(new SqliteConnection($"Data Source={quartzFile};Pooling=False"),
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'QRTZ%'"));
        }
        else
        {
            names.AddRange(await TableNamesAsync(await database.OpenConnectionAsync(forWriting: false, Ct),
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'qrtz%'"));
        }

        var found = names.Select(n => n.ToUpperInvariant()["QRTZ_".Length..]).ToHashSet(StringComparer.Ordinal);
        return [.. QuartzTables.Where(found.Contains)];
    }

    private static async Task<List<string>> TableNamesAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using (connection)
        {
            if (connection.State != System.Data.ConnectionState.Open)
            {
                await connection.OpenAsync(Ct);
            }

            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using var reader = await command.ExecuteReaderAsync(Ct);
            var names = new List<string>();
            while (await reader.ReadAsync(Ct))
            {
                names.Add(reader.GetString(0));
            }

            return names;
        }
    }

    private static async Task<JsonArray> InstancesAsync(HttpClient admin)
    {
        using var response = await admin.GetAsync("/api/instances?definitionId=roll-call&pageSize=100", Ct);
        return (await response.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
    }

    private static async Task<JsonArray> WaitForMoreThanAsync(HttpClient admin, int count)
    {
        var waited = Stopwatch.StartNew();
        var instances = await InstancesAsync(admin);
        while (instances.Count <= count && waited.Elapsed < Patience)
        {
            await Task.Delay(200, Ct);
            instances = await InstancesAsync(admin);
        }

        return instances;
    }
}
