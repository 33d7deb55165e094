using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Yishi.Server.Data;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.CaseFiles;

public sealed class SqliteCasePartyMigration : CasePartyMigrationScenario<SqliteTestDatabase>;

public sealed class PostgreSqlCasePartyMigration : CasePartyMigrationScenario<PostgreSqlTestDatabase>;

/// <summary>
/// The CaseFiles migration changes the key of <c>yishi_case_parties</c> from (case, user) to an id of its own, which on
/// SQLite rebuilds the table: the parties linked before it must all still be there afterwards, each with an id.
/// </summary>
public abstract class CasePartyMigrationScenario<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabase, new()
{
    private readonly TDatabase _database = new();
    private string _connectionString = "";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => _connectionString = await _database.CreateAsync(Ct);

    [Fact]
    public async Task PartiesLinkedBeforeTheMigration_AreKept_EachWithAnId()
    {
        await using var db = NewContext();
        var migrations = db.Database.GetMigrations().ToList();
        var before = migrations[migrations.FindIndex(m => m.EndsWith("_CaseFiles", StringComparison.Ordinal)) - 1];
        var migrator = db.GetService<IMigrator>();
        await migrator.MigrateAsync(before, Ct);
        var linkedAt = new DateTimeOffset(2026, 11, 1, 8, 0, 0, TimeSpan.Zero);
        foreach (var (instance, user, role) in new[] { ("case-1", "user-a", "applicant"), ("case-1", "user-b", "respondent"), ("case-2", "user-a", "applicant") })
        {
            await db.Database.ExecuteSqlAsync(
                $"""INSERT INTO yishi_case_parties ("InstanceId", "UserId", "Role", "LinkedAt", "LinkedBy") VALUES ({instance}, {user}, {role}, {linkedAt}, {"staff-1"})""", Ct);
        }

        await migrator.MigrateAsync(cancellationToken: Ct);
        var parties = await db.CaseParties.AsNoTracking().ToListAsync(Ct);

        Assert.Equal(
            [("case-1", "user-a", "applicant"), ("case-1", "user-b", "respondent"), ("case-2", "user-a", "applicant")],
            parties.Select(p => (p.InstanceId, p.UserId, p.Role)).Order());
        Assert.All(parties, p => Assert.Matches("^[0-9a-f]{32}$", p.Id));
        Assert.Equal(3, parties.Select(p => p.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(parties, p => Assert.Equal((linkedAt, "staff-1", null, null), (p.LinkedAt, p.LinkedBy, p.Name, p.Phone)));
    }

    private ServerDbContext NewContext() => _database.Provider switch
    {
        "Sqlite" => new SqliteServerDbContext(new DbContextOptionsBuilder<SqliteServerDbContext>()
            .UseSqlite(_connectionString, o => o.MigrationsHistoryTable(ServerDbContext.HistoryTable)).Options),
        _ => new PostgreSqlServerDbContext(new DbContextOptionsBuilder<PostgreSqlServerDbContext>()
            .UseNpgsql(_connectionString, o => o.MigrationsHistoryTable(ServerDbContext.HistoryTable)).Options),
    };

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
