using Microsoft.EntityFrameworkCore;
using Yishi.Server.Data;

namespace Yishi.Server.Tests.CaseFiles;

/// <summary>The server's tables (case files among them) are what its migrations make, on every provider.</summary>
public sealed class ServerModelTests
{
    public static TheoryData<string> Providers => ["Sqlite", "PostgreSql", "SqlServer"];

    [Theory]
    [MemberData(nameof(Providers))]
    public void ServerModel_HasNoChangesMissingFromTheMigrations(string provider)
    {
        // Needs no server: the comparison is between the model and the migrations' snapshot.
        using ServerDbContext context = provider switch
        {
            "Sqlite" => new SqliteServerDbContext(new DbContextOptionsBuilder<SqliteServerDbContext>().UseSqlite("Data Source=unused.db").Options),
            "PostgreSql" => new PostgreSqlServerDbContext(new DbContextOptionsBuilder<PostgreSqlServerDbContext>().UseNpgsql("Host=localhost;Database=unused").Options),
            _ => new SqlServerServerDbContext(new DbContextOptionsBuilder<SqlServerServerDbContext>().UseSqlServer("Server=localhost;Database=unused;TrustServerCertificate=True").Options),
        };

        Assert.False(context.Database.HasPendingModelChanges(), $"The server's {provider} model changed without a migration: run `dotnet ef migrations add` for {provider}ServerDbContext.");
    }
}
