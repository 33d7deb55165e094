using System.Data.Common;
using System.Text;

namespace Yishi.Engine.EntityFrameworkCore;

/// <summary>
/// A named lock that processes sharing one database take in turn: a PostgreSQL advisory lock or a SQL Server
/// application lock, held by a database session of its own. Because the session holds it, a process that
/// crashes while holding it releases it. SQLite serves one process; there it is nothing.
/// </summary>
public sealed class DatabaseLock : IAsyncDisposable
{
    private readonly DbConnection? _connection;
    private readonly string _unlock;

    private DatabaseLock(DbConnection? connection, string unlock)
    {
        _connection = connection;
        _unlock = unlock;
    }

    /// <summary>Waits for the lock, however long another process holds it.</summary>
    public static async Task<DatabaseLock> AcquireAsync(YishiDatabase database, string name, CancellationToken cancellationToken = default)
    {
        var key = Key(name);
        var (lockSql, unlockSql) = database.Provider switch
        {
            DatabaseProvider.PostgreSql => ($"SELECT pg_advisory_lock({key})", $"SELECT pg_advisory_unlock({key})"),
            DatabaseProvider.SqlServer => ($"EXEC sp_getapplock @Resource = '{name}', @LockMode = 'Exclusive', @LockOwner = 'Session', @LockTimeout = -1",
                $"EXEC sp_releaseapplock @Resource = '{name}', @LockOwner = 'Session'"),
            _ => ("", ""),
        };
        if (lockSql.Length == 0)
        {
            return new DatabaseLock(null, "");
        }

        var connection = await database.OpenConnectionAsync(forWriting: false, cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = lockSql;
            // Waiting for another process's migrations is expected; the default 30 s could end the wait too soon.
            command.CommandTimeout = 0;
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new DatabaseLock(connection, unlockSql);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
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

    /// <summary>A stable 64-bit key for an advisory lock (FNV-1a of the name): every process computes the same one.</summary>
    private static long Key(string name)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(name))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return unchecked((long)hash);
    }
}
