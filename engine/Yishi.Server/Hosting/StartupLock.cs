using System.Data.Common;
using Yishi.Engine.EntityFrameworkCore;

namespace Yishi.Server.Hosting;

/// <summary>
/// Makes server processes on one database do their start-up work one after the other: two nodes starting
/// together would otherwise both find no roles, demo data or admin, and both insert them (the second then dies
/// on a unique key). The lock is held by the database session (a PostgreSQL advisory lock, a SQL Server
/// application lock), so a process that crashes half-way does not block the next. SQLite serves one process.
/// </summary>
internal sealed class StartupLock : IAsyncDisposable
{
    // Any constant shared by every Yishi process; advisory locks are per database.
    private const long Key = 0x5969736869_5354;
    private const string Resource = "yishi-startup";
    private readonly DbConnection? _connection;
    private readonly string _unlock;

    private StartupLock(DbConnection? connection, string unlock)
    {
        _connection = connection;
        _unlock = unlock;
    }

    public static async Task<StartupLock> AcquireAsync(YishiDatabase database, CancellationToken cancellationToken)
    {
        var (lockSql, unlockSql) = database.Provider switch
        {
            DatabaseProvider.PostgreSql => ($"SELECT pg_advisory_lock({Key})", $"SELECT pg_advisory_unlock({Key})"),
            DatabaseProvider.SqlServer => ($"EXEC sp_getapplock @Resource = '{Resource}', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1",
                $"EXEC sp_releaseapplock @Resource = '{Resource}', @LockOwner = 'Session'"),
            _ => ("", ""),
        };
        if (lockSql.Length == 0)
        {
            return new StartupLock(null, "");
        }

        var connection = await database.OpenConnectionAsync(forWriting: false, cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = lockSql;
            // Waiting for another node's migrations is expected; the default 30 s could end it too soon.
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new StartupLock(connection, unlockSql);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is null)
        {
            return;
        }

        // Unlocked explicitly: a pooled connection's session outlives Dispose, and with it the lock.
        await using (var command = _connection.CreateCommand())
        {
            command.CommandText = _unlock;
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await _connection.DisposeAsync();
    }
}
