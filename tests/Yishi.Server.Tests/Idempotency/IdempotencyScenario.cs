using System.Net;
using System.Net.Http.Json;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Idempotency;

public sealed class SqliteIdempotency : IdempotencyScenario<SqliteTestDatabase>;

public sealed class PostgreSqlIdempotency : IdempotencyScenario<PostgreSqlTestDatabase>;

/// <summary>A hotline system that retries after a timeout must not open a second case, nor complete a task twice.</summary>
public abstract class IdempotencyScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task StartInstance_RepeatedWithTheSameKey_ReturnsTheFirstInstance()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("retry"), "retry", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        var first = await StartAsync(mediator, "ticket-001");
        var again = await StartAsync(mediator, "ticket-001");
        var other = await StartAsync(mediator, "ticket-002");

        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.Equal(HttpStatusCode.Created, again.Status);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal("true", again.Replayed);
        Assert.Equal(first.Location, again.Location);
        Assert.NotEqual(first.Id, other.Id);
        using var list = await mediator.GetAsync("/api/instances?definitionId=retry", Ct);
        Assert.Equal(2, (await list.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray().Count);
    }

    [Fact]
    public async Task CompleteTask_RepeatedWithTheSameKey_GetsTheFirstAnswerNotAConflict()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("retry"), "retry", Ct);
        var (_, taskId) = await server.StartAsync("retry", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var first = await CompleteAsync(mediator, taskId, "done-1");
        using var repeat = await CompleteAsync(mediator, taskId, "done-1");
        using var unkeyed = await CompleteAsync(mediator, taskId, null);
        using var reused = await mediator.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/instances")
        {
            Headers = { { "Idempotency-Key", "done-1" } },
            Content = JsonContent.Create(new { definitionId = "retry" }),
        }, Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(Ct), await repeat.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.Conflict, unkeyed.StatusCode);
        await reused.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused", Ct);
    }

    private static async Task<(HttpStatusCode Status, string? Id, string? Location, string? Replayed)> StartAsync(HttpClient client, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/instances") { Content = JsonContent.Create(new { definitionId = "retry", input = new { caseTitle = "楼上漏水" } }) };
        request.Headers.Add("Idempotency-Key", key);
        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonObject>(Ct);
        return (response.StatusCode, body?["id"]?.GetValue<string>(), response.Headers.Location?.ToString(),
            response.Headers.TryGetValues("Idempotent-Replayed", out var values) ? values.First() : null);
    }

    private static async Task<HttpResponseMessage> CompleteAsync(HttpClient client, string taskId, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/tasks/{taskId}/complete") { Content = JsonContent.Create(new { outcome = "agreed", data = new { agreement = "双方同意" } }) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await client.SendAsync(request, Ct);
    }
}
