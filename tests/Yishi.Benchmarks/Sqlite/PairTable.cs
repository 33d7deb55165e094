using Microsoft.Data.Sqlite;

namespace Yishi.Benchmarks.Sqlite;

/// <summary>
/// A table of ~1 KB rows on one connection opened the way the engine opens its SQLite file, with its two
/// statements prepared once and reused, so the figures measure SQLite and the disk rather than SQL parsing.
/// One "pair" is what a workflow step costs at the storage level: a new instance row (a start) and a rewrite of
/// an existing one (a resume).
/// </summary>
internal sealed class PairTable : IAsyncDisposable
{
    private const int PayloadChars = 1024;
    private static readonly string Payload = new('x', PayloadChars);

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private long _lastId;

    private PairTable(SqliteConnection connection, SqliteCommand insert, SqliteCommand update)
    {
        _connection = connection;
        _insert = insert;
        _update = update;
    }

    public static async Task<PairTable> CreateAsync(string dbPath, CancellationToken cancellationToken)
    {
        // Pooling off: the connection really closes on dispose, so the scratch folder (file, -wal, -shm) can be deleted.
        var connectionString = new SqliteConnectionStringBuilder { DataSource = dbPath, Pooling = false }.ToString();
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // The engine's pragmas; synchronous=FULL makes every commit wait for fsync, which is the limit we want to see.
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", cancellationToken);
        await ExecuteAsync(
            connection,
            "CREATE TABLE pair_rows (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, payload TEXT NOT NULL);",
            cancellationToken);

        var insert = connection.CreateCommand();
        insert.CommandText = "INSERT INTO pair_rows (id, version, payload) VALUES ($id, 0, $payload);";
        insert.Parameters.Add("$id", SqliteType.Integer);
        insert.Parameters.AddWithValue("$payload", Payload);
        insert.Prepare();

        var update = connection.CreateCommand();
        update.CommandText = "UPDATE pair_rows SET version = version + 1, payload = $payload WHERE id = $id;";
        update.Parameters.Add("$id", SqliteType.Integer);
        update.Parameters.AddWithValue("$payload", Payload);
        update.Prepare();

        return new PairTable(connection, insert, update);
    }

    public async Task<SqliteTransaction> BeginAsync(CancellationToken cancellationToken) =>
        (SqliteTransaction)await _connection.BeginTransactionAsync(cancellationToken);

    /// <summary>Inserts a new 1 KB row and rewrites the previously inserted one (the first pair rewrites its own row).</summary>
    public async Task WritePairAsync(SqliteTransaction transaction, CancellationToken cancellationToken)
    {
        // Rewriting the previous row rather than the one just inserted keeps the UPDATE a real second page write,
        // as a resume of an instance started earlier would be.
        var id = _lastId + 1;

        _insert.Transaction = transaction;
        _insert.Parameters["$id"].Value = id;
        await _insert.ExecuteNonQueryAsync(cancellationToken);

        _update.Transaction = transaction;
        _update.Parameters["$id"].Value = _lastId == 0 ? id : _lastId;
        await _update.ExecuteNonQueryAsync(cancellationToken);

        _lastId = id;
    }

    public async ValueTask DisposeAsync()
    {
        await _insert.DisposeAsync();
        await _update.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
