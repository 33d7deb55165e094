using System.Globalization;
using System.Text.RegularExpressions;
using Yishi.Engine.Runtime;
using Yishi.Testing;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Durability;

public sealed partial class TwoHostRaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>SQLite's single writer would make this pass trivially; two processes on PostgreSQL do not.</summary>
    [Fact]
    public async Task PostgreSql_TwoEngineHostsResumeOneBookmark_ExactlyOneSucceeds()
    {
        var server = PostgresTestServer.ConnectionStringOrSkip();
        var connectionString = await PostgresTestServer.CreateDatabaseAsync(server, Ct);
        try
        {
            var database = new YishiDatabase(new DatabaseOptions { Provider = DatabaseProvider.PostgreSql, ConnectionString = connectionString });
            await database.MigrateAsync(Ct);
            string bookmarkId;
            await using (var runtime = new WorkflowRuntime(new SqlWorkflowStore(database), TimeProvider.System))
            {
                var published = await runtime.Definitions.PublishDocumentAsync("""
                    { "definitionId": "race", "name": "竞争", "activities": [
                        { "id": "start", "type": "Start" },
                        { "id": "task", "type": "HumanTask", "properties": { "title": "办理", "assignee": { "role": "mediator" } } },
                        { "id": "end", "type": "End" } ],
                      "connections": [ { "from": "start", "to": "task" }, { "from": "task", "to": "end" } ] }
                    """, Ct);
                Assert.True(published.Succeeded, string.Join("; ", published.Problems));
                bookmarkId = (await runtime.StartAsync(new StartRequest("race"), Ct)).Bookmarks[0].Id;
            }

            var go = Path.Combine(Path.GetTempPath(), "yishi-go-" + Guid.NewGuid().ToString("N"));
            using var first = new TestHostProcess("race", "PostgreSql", connectionString, bookmarkId, "50", go);
            using var second = new TestHostProcess("race", "PostgreSql", connectionString, bookmarkId, "50", go);
            await first.WaitUntilReadyAsync(TimeSpan.FromMinutes(2), Ct);
            await second.WaitUntilReadyAsync(TimeSpan.FromMinutes(2), Ct);
            await File.WriteAllTextAsync(go, "go", Ct);
            Assert.Equal(0, await first.WaitForExitAsync(TimeSpan.FromMinutes(2), Ct));
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromMinutes(2), Ct));
            File.Delete(go);

            var totals = new[] { first, second }.Select(host => Summary(host.Output)).ToList();
            Assert.Equal(1, totals.Sum(t => t.Succeeded));
            Assert.Equal(99, totals.Sum(t => t.Conflict));
            Assert.Equal(0, totals.Sum(t => t.Other));
            var journal = await new SqlWorkflowStore(database).ReadJournalAsync((await new SqlWorkflowStore(database).FindBookmarkAsync(bookmarkId, Ct))!.InstanceId, cancellationToken: Ct);
            Assert.Single(journal, e => e.Kind == Journal.JournalKind.BookmarkResumed);
        }
        finally
        {
            await PostgresTestServer.DropDatabaseAsync(server, connectionString);
        }
    }

    private static (int Succeeded, int Conflict, int Other) Summary(IReadOnlyList<string> output)
    {
        var line = output.LastOrDefault(l => l.StartsWith("succeeded=", StringComparison.Ordinal)) ?? throw new InvalidOperationException(string.Join(" | ", output));
        var match = SummaryPattern().Match(line);
        int Get(string name) => int.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture);
        return (Get("s"), Get("c"), Get("o"));
    }

    [GeneratedRegex("succeeded=(?<s>\\d+) conflict=(?<c>\\d+) other=(?<o>\\d+)")]
    private static partial Regex SummaryPattern();
}
