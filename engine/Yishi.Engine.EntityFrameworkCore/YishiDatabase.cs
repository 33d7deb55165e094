using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql;

namespace Yishi.Engine.EntityFrameworkCore;

/// <summary>
/// One database: creates EF contexts (schema, migrations, queries) and raw connections (the hot path), and
/// applies migrations. SQLite runs in WAL mode with <c>synchronous=FULL</c>, so an acknowledged step survives a
/// power cut.
/// </summary>
public sealed class YishiDatabase
{
    private readonly DbContextOptions _contextOptions;
    private readonly NpgsqlDataSource? _npgsql;

    /// <summary>Prepares access to the database described by <paramref name="options"/>.</summary>
    public YishiDatabase(DatabaseOptions options)
    {
        Options = options;
        ConnectionString = options.ConnectionString;
        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                ConnectionString = new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = true }.ToString();
                _contextOptions = Configure(new DbContextOptionsBuilder<SqliteYishiDbContext>(), HistoryRepository.DefaultTableName).Options;
                break;
            case DatabaseProvider.PostgreSql:
                _npgsql = NpgsqlDataSource.Create(options.ConnectionString);
                _contextOptions = Configure(new DbContextOptionsBuilder<PostgreSqlYishiDbContext>(), HistoryRepository.DefaultTableName).Options;
                break;
            case DatabaseProvider.SqlServer:
                _contextOptions = Configure(new DbContextOptionsBuilder<SqlServerYishiDbContext>(), HistoryRepository.DefaultTableName).Options;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(options), options.Provider, "Unknown database provider.");
        }
    }

    /// <summary>The settings.</summary>
    public DatabaseOptions Options { get; }

    /// <summary>
    /// Points an EF context at this database with its durability settings: the engine's own, and another
    /// (the server's identity and org tables), which keeps its migrations in a history table of its own.
    /// </summary>
    public DbContextOptionsBuilder Configure(DbContextOptionsBuilder builder, string migrationsHistoryTable) => Provider switch
    {
        DatabaseProvider.Sqlite => builder.UseSqlite(ConnectionString, o => o.MigrationsHistoryTable(migrationsHistoryTable)).AddInterceptors(SqlitePragmas.Interceptor),
        DatabaseProvider.PostgreSql => builder.UseNpgsql(_npgsql!, o => o.MigrationsHistoryTable(migrationsHistoryTable)),
        _ => builder.UseSqlServer(ConnectionString, o => o.MigrationsHistoryTable(migrationsHistoryTable)),
    };

    /// <summary>The provider.</summary>
    public DatabaseProvider Provider => Options.Provider;

    /// <summary>The effective connection string.</summary>
    public string ConnectionString { get; }

    /// <summary>A new EF context for this database.</summary>
    public YishiDbContext CreateContext() => Provider switch
    {
        DatabaseProvider.Sqlite => new SqliteYishiDbContext((DbContextOptions<SqliteYishiDbContext>)_contextOptions),
        DatabaseProvider.PostgreSql => new PostgreSqlYishiDbContext((DbContextOptions<PostgreSqlYishiDbContext>)_contextOptions),
        _ => new SqlServerYishiDbContext((DbContextOptions<SqlServerYishiDbContext>)_contextOptions),
    };

    /// <summary>Opens a raw connection; SQLite connections that will write get the durability pragmas.</summary>
    public async Task<DbConnection> OpenConnectionAsync(bool forWriting, CancellationToken cancellationToken = default)
    {
        DbConnection connection = Provider switch
        {
            DatabaseProvider.Sqlite => new SqliteConnection(ConnectionString),
            DatabaseProvider.PostgreSql => _npgsql!.CreateConnection(),
            _ => new Microsoft.Data.SqlClient.SqlConnection(ConnectionString),
        };
        try
        {
            await connection.OpenAsync(cancellationToken);
            if (forWriting && Provider == DatabaseProvider.Sqlite)
            {
                await SqlitePragmas.ApplyAsync(connection, cancellationToken);
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates or upgrades the schema. Processes starting at once against one database migrate one after the
    /// other: EF Core's own lock covers one migration's transaction, so with several pending migrations two
    /// processes could otherwise both apply the later ones.
    /// </summary>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        if (Provider == DatabaseProvider.Sqlite)
        {
            var dataSource = new SqliteConnectionStringBuilder(ConnectionString).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder) && dataSource != ":memory:")
            {
                Directory.CreateDirectory(folder);
            }

            // WAL is a property of the file: set once, it holds for every later connection.
            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode=WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var migrationLock = await DatabaseLock.AcquireAsync(this, "yishi-engine-migrations", cancellationToken);
        await using var context = CreateContext();
        await context.Database.MigrateAsync(cancellationToken);
    }

    /// <summary>Sets SQLite's per-connection durability settings.</summary>
    internal static class SqlitePragmas
    {
        public static readonly PragmaInterceptor Interceptor = new();

        public static async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        public static void Apply(DbConnection connection)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }

        // synchronous=FULL: the WAL is fsynced at every commit, so a committed step survives a power cut (NORMAL may lose the last ones).
        // temp_store=MEMORY: statement journals of multi-row statements stay off the disk.
        // cache_size: 16 MiB for writers (default 2 MiB), so a batch's scattered pages are rarely read back from disk.
        private const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA temp_store=MEMORY; PRAGMA cache_size=-16384;";

        internal sealed class PragmaInterceptor : DbConnectionInterceptor
        {
            public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

            public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
                ApplyAsync(connection, cancellationToken);
        }
    }
}
