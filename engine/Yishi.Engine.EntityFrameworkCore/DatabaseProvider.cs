namespace Yishi.Engine.EntityFrameworkCore;

/// <summary>The databases Yishi runs on.</summary>
public enum DatabaseProvider
{
    /// <summary>Embedded, the default: one file, zero setup.</summary>
    Sqlite,
    /// <summary>For multi-node deployments.</summary>
    PostgreSql,
    /// <summary>Where a site standardises on it.</summary>
    SqlServer,
}

/// <summary>Which database, and how to reach it.</summary>
public sealed class DatabaseOptions
{
    /// <summary>The provider.</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>The ADO.NET connection string.</summary>
    public string ConnectionString { get; set; } = "Data Source=data/yishi.db";
}
