using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Yishi.Testing;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Migrations;

public sealed class MigrationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData(DatabaseProvider.Sqlite)]
    [InlineData(DatabaseProvider.PostgreSql)]
    [InlineData(DatabaseProvider.SqlServer)]
    public void Model_HasNoChangesMissingFromTheMigrations(DatabaseProvider provider)
    {
        // Needs no server: the comparison is between the model and the migrations' snapshot.
        var connectionString = provider switch
        {
            DatabaseProvider.Sqlite => "Data Source=unused.db",
            DatabaseProvider.PostgreSql => "Host=localhost;Database=unused",
            _ => "Server=localhost;Database=unused;TrustServerCertificate=True",
        };
        using var context = new YishiDatabase(new DatabaseOptions { Provider = provider, ConnectionString = connectionString }).CreateContext();

        Assert.False(context.Database.HasPendingModelChanges(), $"The {provider} model changed without a migration: run `dotnet ef migrations add` for {provider}.");
        Assert.NotEmpty(context.Database.GetMigrations());
    }

    [Theory]
    [InlineData(MigrationsSqlGenerationOptions.Default)]
    [InlineData(MigrationsSqlGenerationOptions.Idempotent)]
    public void SqlServer_MigrationScript_ParsesAsTransactSql(MigrationsSqlGenerationOptions options)
    {
        // No SQL Server can run here; parsing the generated script is the check that it is valid T-SQL.
        using var context = new YishiDatabase(new DatabaseOptions { Provider = DatabaseProvider.SqlServer, ConnectionString = "Server=localhost;Database=unused;TrustServerCertificate=True" }).CreateContext();
        var script = context.GetService<IMigrator>().GenerateScript(options: options);

        var parser = new TSql160Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(script);
        var fragment = parser.Parse(reader, out var errors);

        Assert.Empty(errors.Select(e => $"{e.Line}:{e.Column} {e.Message}"));
        var created = new TableCollector();
        fragment.Accept(created);
        Assert.Equal(["yishi_bookmarks", "yishi_definitions", "yishi_instances", "yishi_journal", "yishi_messages", "yishi_outbox"], created.Tables.Where(t => t.StartsWith("yishi_", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.Contains("WHERE consumed_at IS NULL", script, StringComparison.Ordinal);
    }

    private sealed class TableCollector : TSqlFragmentVisitor
    {
        public List<string> Tables { get; } = [];

        public override void Visit(CreateTableStatement node) => Tables.Add(node.SchemaObjectName.BaseIdentifier.Value);
    }

    [Fact]
    public async Task Sqlite_FreshFile_IsMigratedInWalModeWithAllTables()
    {
        var file = TestDatabases.NewSqliteFile();
        var database = new YishiDatabase(TestDatabases.Sqlite(file));

        await database.MigrateAsync(Ct);
        await database.MigrateAsync(Ct);

        await using var connection = await database.OpenConnectionAsync(forWriting: true, Ct);
        Assert.Equal("wal", await ScalarAsync(connection, "PRAGMA journal_mode;"));
        Assert.Equal("2", await ScalarAsync(connection, "PRAGMA synchronous;"));
        var tables = await ScalarAsync(connection, "SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'yishi_%' ORDER BY name)");
        Assert.Equal("yishi_bookmarks,yishi_definitions,yishi_instances,yishi_journal,yishi_messages,yishi_outbox", tables);
        await using var context = database.CreateContext();
        Assert.Empty(await context.Database.GetPendingMigrationsAsync(Ct));
        SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task PostgreSql_TwoProcessesMigratingAtOnce_BothSucceed()
    {
        var server = PostgresTestServer.ConnectionStringOrSkip();
        var connectionString = await PostgresTestServer.CreateDatabaseAsync(server, Ct);
        try
        {
            var options = new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString };

            await Task.WhenAll(new YishiDatabase(options).MigrateAsync(Ct), new YishiDatabase(options).MigrateAsync(Ct));

            await using var context = new YishiDatabase(options).CreateContext();
            Assert.Empty(await context.Database.GetPendingMigrationsAsync(Ct));
            Assert.NotEmpty(await context.Database.GetAppliedMigrationsAsync(Ct));
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(server, connectionString);
        }
    }

    private static async Task<string?> ScalarAsync(System.Data.Common.DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(Ct), System.Globalization.CultureInfo.InvariantCulture);
    }
}
