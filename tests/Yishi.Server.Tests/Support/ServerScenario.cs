namespace Yishi.Server.Tests.Support;

/// <summary>
/// A scenario written once and run per database provider (<c>SqliteX : XScenario&lt;SqliteTestDatabase&gt;</c>,
/// <c>PostgreSqlX : XScenario&lt;PostgreSqlTestDatabase&gt;</c>). Every test gets an empty database and an
/// empty workflows folder of its own; servers it starts on them are stopped afterwards.
/// </summary>
public abstract class ServerScenario<TDatabase> : IAsyncLifetime where TDatabase : ITestDatabase, new()
{
    private readonly TDatabase _database = new();
    private readonly List<YishiFactory> _servers = [];
    private string? _connectionString;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string _folder = "";

    /// <summary>The test's workflows folder (<c>Yishi:WorkflowsFolder</c>): empty unless the test writes files in it.</summary>
    protected string WorkflowsFolder => Path.Combine(_folder, "workflows");

    /// <summary>The test's templates folder (<c>Yishi:TemplatesFolder</c>): empty unless the test writes files in it.</summary>
    protected string TemplatesFolder => Path.Combine(_folder, "templates");

    public async ValueTask InitializeAsync()
    {
        // The database first: a skipped PostgreSQL test leaves no folder behind.
        _connectionString = await _database.CreateAsync(Ct);
        _folder = TempFolder.Create();
        Directory.CreateDirectory(WorkflowsFolder);
        Directory.CreateDirectory(TemplatesFolder);
    }

    /// <summary>A server on the test's database and workflows folder; it starts on its first request.</summary>
    protected YishiFactory NewServer(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var server = new YishiFactory(_database.Provider, _connectionString ?? throw new InvalidOperationException("The database was not created."), WorkflowsFolder,
            TemplatesFolder, settings);
        _servers.Add(server);
        return server;
    }

    public virtual async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        await _database.DisposeAsync();
        if (_folder.Length > 0)
        {
            TempFolder.Delete(_folder);
        }

        GC.SuppressFinalize(this);
    }
}
