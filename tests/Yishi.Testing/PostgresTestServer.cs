using Npgsql;
using Xunit;

namespace Yishi.Testing;

/// <summary>
/// The PostgreSQL server tests use, shared by every test project. It is named by <c>YISHI_TEST_POSTGRES</c>;
/// without it a test is skipped with the reason, unless <c>YISHI_REQUIRE_POSTGRES=1</c> (CI), where its absence
/// is a failure. Each test class makes a database of its own and drops it afterwards.
/// </summary>
public static class PostgresTestServer
{
    public const string PostgresVariable = "YISHI_TEST_POSTGRES";
    public const string RequirePostgresVariable = "YISHI_REQUIRE_POSTGRES";

    /// <summary>The server's connection string, or a skip (or a failure when PostgreSQL is required).</summary>
    public static string ConnectionStringOrSkip()
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
    public static async Task<string> CreateDatabaseAsync(string server, CancellationToken cancellationToken = default)
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

    /// <summary>Drops a database made by <see cref="CreateDatabaseAsync"/>; its sessions are ended first.</summary>
    public static async Task DropDatabaseAsync(string server, string database)
    {
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        NpgsqlConnection.ClearAllPools();
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
