namespace Yishi.Server.Hosting;

/// <summary>
/// Resolves relative paths in configuration (<c>data/yishi.db</c>, <c>workflows</c>). In a clone they are relative
/// to the repository root, found by its <c>Workflow.sln</c>, so <c>dotnet run --project engine/Yishi.Server</c>
/// uses the repository's <c>data/</c> and <c>workflows/</c> from any working directory; in a deployment without
/// the solution file they are relative to the content root.
/// </summary>
internal static class RepositoryPaths
{
    public static string Root(string contentRoot)
    {
        for (var folder = new DirectoryInfo(contentRoot); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Workflow.sln")))
            {
                return folder.FullName;
            }
        }

        return contentRoot;
    }

    public static string Resolve(string contentRoot, string path) => Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(Root(contentRoot), path));

    /// <summary>Makes a SQLite <c>Data Source</c> absolute.</summary>
    public static string SqliteConnectionString(string contentRoot, string connectionString)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (builder.DataSource != ":memory:" && !builder.DataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            builder.DataSource = Resolve(contentRoot, builder.DataSource);
        }

        return builder.ToString();
    }
}
