using Yishi.Engine.Persistence;
using Yishi.Testing;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

/// <summary>Makes a fresh, empty store for one test and cleans it up afterwards.</summary>
public interface IStoreProvider : IAsyncDisposable
{
    Task<IWorkflowStore> CreateAsync(CancellationToken cancellationToken);

    /// <summary>Commit loops to use with this store (SQLite has one writer).</summary>
    int CommitWriters { get; }
}

public sealed class SqliteStoreProvider : IStoreProvider
{
    private string? _file;

    public int CommitWriters => 1;

    public async Task<IWorkflowStore> CreateAsync(CancellationToken cancellationToken)
    {
        _file = TestDatabases.NewSqliteFile();
        var database = new YishiDatabase(TestDatabases.Sqlite(_file));
        await database.MigrateAsync(cancellationToken);
        return new SqlWorkflowStore(database);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (_file is not null)
        {
            try
            {
                Directory.Delete(Path.GetDirectoryName(_file)!, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }

        return ValueTask.CompletedTask;
    }
}

public sealed class PostgreSqlStoreProvider : IStoreProvider
{
    private string? _server;
    private string? _database;

    public int CommitWriters => 4;

    public async Task<IWorkflowStore> CreateAsync(CancellationToken cancellationToken)
    {
        _server = PostgresTestServer.ConnectionStringOrSkip();
        _database = await PostgresTestServer.CreateDatabaseAsync(_server, cancellationToken);
        var database = new YishiDatabase(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = _database });
        await database.MigrateAsync(cancellationToken);
        return new SqlWorkflowStore(database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null && _database is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_server, _database);
        }
    }
}

public sealed class InMemoryStoreProvider : IStoreProvider
{
    public int CommitWriters => 1;

    public Task<IWorkflowStore> CreateAsync(CancellationToken cancellationToken) => Task.FromResult<IWorkflowStore>(new InMemoryWorkflowStore());

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
