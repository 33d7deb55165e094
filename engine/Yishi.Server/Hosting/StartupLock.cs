using System.Data.Common;
using Yishi.Engine.EntityFrameworkCore;

namespace Yishi.Server.Hosting;

/// <summary>
/// Makes server processes on one PostgreSQL database do their start-up work one after the other: two nodes
/// starting together would otherwise both find no roles, demo data or admin, and both insert them (the second
/// then dies on a unique key). A session-level advisory lock is released when its session ends, so a process
/// that crashes half-way does not block the next. SQLite serves a single process; SQL Server is not covered yet.
/// </summary>
internal sealed class StartupLock : IAsyncDisposable
{
    // Any constant shared by every Yishi process; advisory locks are per database.
    private const long Key = 0x5969736869_5354;
    private readonly DbConnection? _connection;

    private StartupLock(DbConnection? connection) => _connection = connection;

    public static async Task<StartupLock> AcquireAsync(YishiDatabase database, CancellationToken cancellationToken)
    {
        if (database.Provider != DatabaseProvider.PostgreSql)
        {
            return new StartupLock(null);
        }

        var connection = await database.OpenConnectionAsync(forWriting: false, cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT pg_advisory_lock({Key})";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return new StartupLock(connection);
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
            command.CommandText = $"SELECT pg_advisory_unlock({Key})";
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }

        await _connection.DisposeAsync();
    }
}
