using Microsoft.Data.Sqlite;
using Yishi.Testing;

namespace Yishi.Server.Tests.Support;

/// <summary>
/// A fresh, empty database for one test on one provider (adapted from the EF Core tests' <c>TestDatabases</c>).
/// PostgreSQL needs <c>YISHI_TEST_POSTGRES</c>; without it the test is skipped with the reason, unless
/// <c>YISHI_REQUIRE_POSTGRES=1</c> (CI), where its absence is a failure.
/// </summary>
public interface ITestDatabase : IAsyncDisposable
{
    /// <summary>The value of the server's <c>Database:Provider</c> setting.</summary>
    string Provider { get; }

    /// <summary>Creates the empty database and answers its connection string.</summary>
    Task<string> CreateAsync(CancellationToken cancellationToken);
}

/// <summary>A SQLite file in a temp folder of its own.</summary>
public sealed class SqliteTestDatabase : ITestDatabase
{
    private string? _folder;

    public string Provider => "Sqlite";

    public Task<string> CreateAsync(CancellationToken cancellationToken)
    {
        _folder = TempFolder.Create();
        return Task.FromResult($"Data Source={Path.Combine(_folder, "yishi.db")}");
    }

    public ValueTask DisposeAsync()
    {
        if (_folder is not null)
        {
            using (var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, "yishi.db")};Pooling=True"))
            {
                SqliteConnection.ClearPool(connection);
            }

            TempFolder.Delete(_folder);
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>A database of its own on the PostgreSQL server named by <c>YISHI_TEST_POSTGRES</c>, dropped afterwards.</summary>
public sealed class PostgreSqlTestDatabase : ITestDatabase
{
    private string? _server;
    private string? _database;

    public string Provider => "PostgreSql";

    public async Task<string> CreateAsync(CancellationToken cancellationToken)
    {
        _server = PostgresTestServer.ConnectionStringOrSkip();
        _database = await PostgresTestServer.CreateDatabaseAsync(_server, cancellationToken);
        return _database;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null && _database is not null)
        {
            await PostgresTestServer.DropDatabaseAsync(_server, _database);
        }
    }
}

/// <summary>Throw-away folders under the system temp folder.</summary>
public static class TempFolder
{
    public static string Create()
    {
        var folder = Path.Combine(Path.GetTempPath(), "yishi-server-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return folder;
    }

    public static void Delete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Likewise.
        }
    }
}
