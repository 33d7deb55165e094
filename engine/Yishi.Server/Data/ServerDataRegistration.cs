using Microsoft.EntityFrameworkCore;
using Yishi.Engine.EntityFrameworkCore;

namespace Yishi.Server.Data;

/// <summary>Registers the server's tables on the engine's database.</summary>
internal static class ServerDataRegistration
{
    /// <summary>
    /// Registers the server's context on the <see cref="YishiDatabase"/> the engine's store registered, so both
    /// share one connection pool. Options are built once (singleton): per request they were a tenth of the API's time.
    /// </summary>
    public static IServiceCollection AddServerData(this IServiceCollection services, DatabaseProvider provider)
    {
        switch (provider)
        {
            case DatabaseProvider.Sqlite:
                services.AddDbContext<SqliteServerDbContext>((p, b) => p.GetRequiredService<YishiDatabase>().Configure(b, ServerDbContext.HistoryTable), optionsLifetime: ServiceLifetime.Singleton);
                services.AddScoped<ServerDbContext>(p => p.GetRequiredService<SqliteServerDbContext>());
                break;
            case DatabaseProvider.PostgreSql:
                services.AddDbContext<PostgreSqlServerDbContext>((p, b) => p.GetRequiredService<YishiDatabase>().Configure(b, ServerDbContext.HistoryTable), optionsLifetime: ServiceLifetime.Singleton);
                services.AddScoped<ServerDbContext>(p => p.GetRequiredService<PostgreSqlServerDbContext>());
                break;
            default:
                services.AddDbContext<SqlServerServerDbContext>((p, b) => p.GetRequiredService<YishiDatabase>().Configure(b, ServerDbContext.HistoryTable), optionsLifetime: ServiceLifetime.Singleton);
                services.AddScoped<ServerDbContext>(p => p.GetRequiredService<SqlServerServerDbContext>());
                break;
        }

        return services;
    }
}

// Used only by `dotnet ef migrations add`: migrations are generated per provider, never against a live server.
internal sealed class SqliteServerDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<SqliteServerDbContext>
{
    public SqliteServerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteServerDbContext>().UseSqlite("Data Source=design.db", o => o.MigrationsHistoryTable(ServerDbContext.HistoryTable)).Options);
}

internal sealed class PostgreSqlServerDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<PostgreSqlServerDbContext>
{
    public PostgreSqlServerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlServerDbContext>().UseNpgsql("Host=localhost;Database=yishi_design", o => o.MigrationsHistoryTable(ServerDbContext.HistoryTable)).Options);
}

internal sealed class SqlServerServerDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<SqlServerServerDbContext>
{
    public SqlServerServerDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerServerDbContext>().UseSqlServer("Server=localhost;Database=yishi_design;TrustServerCertificate=True", o => o.MigrationsHistoryTable(ServerDbContext.HistoryTable)).Options);
}
