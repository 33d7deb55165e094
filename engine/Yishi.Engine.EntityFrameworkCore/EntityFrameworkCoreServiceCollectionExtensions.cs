using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;

namespace Yishi.Engine.EntityFrameworkCore;

/// <summary>Registers the relational store: the one way to put the engine on SQLite, PostgreSQL or SQL Server.</summary>
public static class EntityFrameworkCoreServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="YishiDatabase"/> and <see cref="SqlWorkflowStore"/> as the engine's store. SQLite keeps one
    /// commit writer (it has a single writer); server databases get four concurrent commit loops.
    /// Call <see cref="YishiDatabase.MigrateAsync"/> at start-up.
    /// </summary>
    public static IServiceCollection AddYishiEntityFrameworkCore(this IServiceCollection services, Action<DatabaseOptions> configure)
    {
        var options = new DatabaseOptions();
        configure(options);
        services.TryAddSingleton(new YishiDatabase(options));
        services.TryAddSingleton<SqlWorkflowStore>();
        services.TryAddSingleton<IWorkflowStore>(provider => provider.GetRequiredService<SqlWorkflowStore>());
        services.Configure<WorkflowRuntimeOptions>(runtime => runtime.CommitWriters = options.Provider == DatabaseProvider.Sqlite ? 1 : 4);
        return services;
    }
}
