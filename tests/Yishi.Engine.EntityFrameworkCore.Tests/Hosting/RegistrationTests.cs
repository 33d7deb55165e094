using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Hosting;

public sealed class RegistrationTests
{
    [Fact]
    public async Task AddYishiEngine_OnSqlite_RunsAWorkflowEndToEnd()
    {
        var file = TestDatabases.NewSqliteFile();
        var services = new ServiceCollection()
            .AddYishiEntityFrameworkCore(o => o.ConnectionString = $"Data Source={file}")
            .AddYishiEngine(o => o.StepBudget = 50);
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<YishiDatabase>().MigrateAsync(TestContext.Current.CancellationToken);
        var runtime = provider.GetRequiredService<WorkflowRuntime>();

        var published = await runtime.Definitions.PublishDocumentAsync("""
            { "definitionId": "di", "name": "注册", "activities": [ { "id": "start", "type": "Start" }, { "id": "end", "type": "End", "properties": { "result": "42" } } ],
              "connections": [ { "from": "start", "to": "end" } ] }
            """, TestContext.Current.CancellationToken);
        var started = await runtime.StartAsync(new StartRequest("di"), TestContext.Current.CancellationToken);

        Assert.True(published.Succeeded);
        Assert.Equal(42, started.Result!.GetValue<int>());
        Assert.IsType<SqlWorkflowStore>(provider.GetRequiredService<IWorkflowStore>());
        Assert.Same(runtime, provider.GetRequiredService<WorkflowRuntime>());
        SqliteConnection.ClearAllPools();
    }
}
