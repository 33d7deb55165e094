using Microsoft.Data.Sqlite;
using Npgsql;

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
        _server = TestDatabases.PostgresServerOrSkip();
        _database = await TestDatabases.CreatePostgresDatabaseAsync(_server, cancellationToken);
        return _database;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null && _database is not null)
        {
            await TestDatabases.DropPostgresDatabaseAsync(_server, _database);
        }
    }
}

public static class TestDatabases
{
    public const string PostgresVariable = "YISHI_TEST_POSTGRES";
    public const string RequirePostgresVariable = "YISHI_REQUIRE_POSTGRES";

    /// <summary>The server's connection string, or a skip (or a failure when PostgreSQL is required).</summary>
    public static string PostgresServerOrSkip()
    {
        var connectionString = Environment.GetEnvironmentVariable(PostgresVariable);
        if (!string.IsNullOrWhiteSpace(connectionString))
        {
            return connectionString;
        }

        if (Environment.GetEnvironmentVariable(RequirePostgresVariable) == "1")
        {
            throw new InvalidOperationException($"{RequirePostgresVariable}=1 but {PostgresVariable} is not set: PostgreSQL tests cannot run.");
        }

        Assert.Skip($"PostgreSQL tests need {PostgresVariable} (a connection string to a server where the role may create databases); .ci/run sets it.");
        return "";
    }

    /// <summary>Creates an empty database on the server and returns its connection string.</summary>
    public static async Task<string> CreatePostgresDatabaseAsync(string server, CancellationToken cancellationToken = default)
    {
        var name = "yishi_test_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = $"CREATE DATABASE {name}";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // A small pool per test database: test classes run in parallel against one server with max_connections = 100.
        return new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = true, MaxPoolSize = 12 }.ToString();
    }

    /// <summary>Drops a database made by <see cref="CreatePostgresDatabaseAsync"/>; its sessions are ended first.</summary>
    public static async Task DropPostgresDatabaseAsync(string server, string database)
    {
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        await using var connection = new NpgsqlConnection(server);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"DROP DATABASE IF EXISTS {name} WITH (FORCE)";
        try
        {
            await command.ExecuteNonQueryAsync();
        }
        catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            // The role may not end another role's session (an autovacuum worker) on a developer's server: a
            // leftover throw-away database is harmless, a failed test over it would not be.
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
