using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Yishi.Engine.EntityFrameworkCore;

// Used only by `dotnet ef migrations add`: migrations are generated per provider, never against a live server.

/// <summary>Design-time factory for the SQLite migrations.</summary>
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteYishiDbContext>
{
    /// <inheritdoc />
    public SqliteYishiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteYishiDbContext>().UseSqlite("Data Source=design.db").Options);
}

/// <summary>Design-time factory for the PostgreSQL migrations.</summary>
public sealed class PostgreSqlDesignTimeFactory : IDesignTimeDbContextFactory<PostgreSqlYishiDbContext>
{
    /// <inheritdoc />
    public PostgreSqlYishiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgreSqlYishiDbContext>().UseNpgsql("Host=localhost;Database=yishi_design").Options);
}

/// <summary>Design-time factory for the SQL Server migrations.</summary>
public sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerYishiDbContext>
{
    /// <inheritdoc />
    public SqlServerYishiDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerYishiDbContext>().UseSqlServer("Server=localhost;Database=yishi_design;Trusted_Connection=True;TrustServerCertificate=True").Options);
}
