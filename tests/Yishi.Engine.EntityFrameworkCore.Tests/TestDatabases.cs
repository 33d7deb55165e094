namespace Yishi.Engine.EntityFrameworkCore.Tests;

/// <summary>SQLite databases for tests: a fresh file in a temp folder. PostgreSQL ones come from <see cref="Testing.PostgresTestServer"/>.</summary>
public static class TestDatabases
{
    public static string NewSqliteFile()
    {
        var folder = Path.Combine(Path.GetTempPath(), "yishi-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, "yishi.db");
    }

    public static DatabaseOptions Sqlite(string file) => new() { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={file}" };
}
