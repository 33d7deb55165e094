using Microsoft.Data.Sqlite;
using Quartz;
using Yishi.Engine.EntityFrameworkCore;

namespace Yishi.Server.Scheduling;

/// <summary>
/// Quartz.NET drives scheduled starts from its ADO.NET job store, so a schedule outlives restarts and, on a shared
/// database, fires on one node only.
/// </summary>
internal static class ScheduleRegistration
{
    /// <summary>
    /// Adds the scheduler and its hosted services. Call after the start-up work is added: hosted services start in
    /// the order they are added, and the schema needs the migrated database's lock before Quartz starts.
    /// </summary>
    public static IServiceCollection AddYishiSchedule(this IServiceCollection services, DatabaseOptions database)
    {
        services.AddQuartz(q => q.UsePersistentStore(store =>
        {
            // Quartz 4 creates whatever part of its schema is missing and never alters or drops, so this is safe on every
            // start; it runs when the scheduler is built, which ScheduleStartup does under a database lock.
            store.ProvisionSchema();
            store.UseSystemTextJsonSerializer();
            switch (database.Provider)
            {
                case DatabaseProvider.PostgreSql:
                    // Same database, qrtz_ tables; clustered, so a firing runs on one node and a dead node's work is recovered.
                    store.UsePostgres(database.ConnectionString);
                    store.UseClustering(_ => { });
                    break;
                case DatabaseProvider.SqlServer:
                    store.UseSqlServer(database.ConnectionString);
                    store.UseClustering(_ => { });
                    break;
                default:
                    // A file of its own, so Quartz's writes never wait for the engine's single SQLite writer (nor it for them).
                    store.UseSqlite(SqliteConnectionString(database.ConnectionString));
                    break;
            }
        }));
        services.AddSingleton<ScheduledStarts>();
        services.AddHostedService<ScheduleStartup>();
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    /// <summary>Quartz's SQLite file beside the engine's: <c>data/yishi.db</c> → <c>data/yishi-quartz.db</c>.</summary>
    public static string SqliteConnectionString(string engineConnectionString)
    {
        var builder = new SqliteConnectionStringBuilder(engineConnectionString);
        if (builder.DataSource == ":memory:" || builder.DataSource.Length == 0)
        {
            // An engine in memory keeps nothing across restarts; neither need its schedule.
            return new SqliteConnectionStringBuilder { DataSource = "file:yishi-quartz?mode=memory&cache=shared", Pooling = true }.ToString();
        }

        var path = builder.DataSource;
        var folder = Path.GetDirectoryName(path) ?? "";
        builder.DataSource = Path.Combine(folder, Path.GetFileNameWithoutExtension(path) + "-quartz" + Path.GetExtension(path));
        builder.Pooling = true;
        return builder.ToString();
    }
}
