using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Tasks;

public sealed class SqliteConcurrentCompletion : ConcurrentCompletionScenario<SqliteTestDatabase>;

public sealed class PostgreSqlConcurrentCompletion : ConcurrentCompletionScenario<PostgreSqlTestDatabase>;

/// <summary>Many people press "done" on one task at the same moment: one wins, everyone else is told so.</summary>
public abstract class ConcurrentCompletionScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    private const int Clients = 100;
    private static readonly string?[] ConflictTypes = ["urn:yishi:problem:already-completed", "urn:yishi:problem:conflict"];

    [Fact]
    public async Task HundredClientsCompleteOneTask_ExactlyOneSucceedsTheRestConflict()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("race"), "race", Ct);
        var (instanceId, taskId) = await server.StartAsync("race", Ct);
        using var signedIn = await server.ClientForAsync("mediator", Ct);
        var token = signedIn.DefaultRequestHeaders.Authorization!.Parameter;

        var clients = Enumerable.Range(0, Clients).Select(_ =>
        {
            var client = server.CreateClient();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }).ToList();
        var answers = await Task.WhenAll(clients.Select(async (client, i) =>
        {
            await Task.Yield();
            var body = new { outcome = i % 2 == 0 ? "agreed" : "failed", data = new JsonObject { ["agreement"] = $"第 {i} 份协议" } };
            using var response = await client.PostAsJsonAsync($"/api/tasks/{taskId}/complete", body, Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            return (response.StatusCode, Type: response.StatusCode == HttpStatusCode.OK ? null : JsonNode.Parse(text)?["type"]?.GetValue<string>(), Text: text);
        }));
        clients.ForEach(c => c.Dispose());

        var summary = string.Join(" | ", answers.GroupBy(a => $"{(int)a.StatusCode} {a.Type}").Select(g => $"{g.Key} ×{g.Count()}: {g.First().Text}"));
        Assert.True(answers.Count(a => a.StatusCode == HttpStatusCode.OK) == 1, summary);
        var conflicts = answers.Where(a => a.StatusCode == HttpStatusCode.Conflict).ToList();
        Assert.True(conflicts.Count == Clients - 1, summary);
        Assert.All(conflicts, c => Assert.Contains(c.Type, ConflictTypes));

        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var journal = await mediator.GetAsync($"/api/instances/{instanceId}/journal", Ct);
        var entries = (await journal.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray();
        Assert.Single(entries, e => e!["kind"]!.GetValue<string>() == "BookmarkResumed");
        Assert.Single(entries, e => e!["kind"]!.GetValue<string>() == "InstanceCompleted");
    }
}
