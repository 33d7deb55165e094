using System.Net;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.OpenApi;

public sealed class SqliteGeneratedClient : GeneratedClientScenario<SqliteTestDatabase>;

public sealed class PostgreSqlGeneratedClient : GeneratedClientScenario<PostgreSqlTestDatabase>;

/// <summary>
/// The published OpenAPI document is a contract: a client generated from it, today's and not a copy kept in the
/// repository, must build and must be able to work a mediator's inbox.
/// </summary>
public abstract class GeneratedClientScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    [Fact]
    public async Task ClientGeneratedFromOpenApi_ListsAndCompletesTheMediatorsTask_InstanceCompletes()
    {
        var server = NewServer();
        await server.PublishAsync(Documents.Mediation("generated"), "generated", Ct);
        var (instanceId, taskId) = await server.StartAsync("generated", Ct);
        string document;
        using (var anonymous = server.Anonymous())
        {
            document = await anonymous.GetStringAsync("/openapi/v1.json", Ct);
        }

        var generated = await OpenApiClientCompiler.CompileAsync(document, Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);
        var client = generated.Create(mediator);

        var inbox = await generated.InvokeAsync(client, "get", "/api/tasks", new Dictionary<string, object?> { ["mine"] = true }, Ct);
        // GET /api/tasks declares no response schema yet (its handler answers IResult), so the generated method
        // answers nothing to read; once the document describes the body, the started task must be in it.
        if (inbox is not null)
        {
            Assert.Contains(taskId, inbox.AsArray().Select(t => t?["id"]?.GetValue<string>()));
        }

        // "agreement" is a required form field: the server answers 422 (and the generated client throws) unless
        // the data survives the generated model and serializer.
        var completion = generated.Model("CompleteTask", new JsonObject { ["outcome"] = "agreed", ["data"] = new JsonObject { ["agreement"] = "维修费用由楼上承担" } });
        await generated.InvokeAsync(client, "post", "/api/tasks/{id}/complete", new Dictionary<string, object?> { ["id"] = taskId, ["body"] = completion }, Ct);

        using var instance = await mediator.GetAsync($"/api/instances/{instanceId}", Ct);
        var body = await instance.ReadJsonAsync(HttpStatusCode.OK, Ct);
        Assert.Equal("Completed", body["status"]?.GetValue<string>());
        Assert.Equal("agreed", body["result"]?.GetValue<string>());
        using var task = await mediator.GetAsync($"/api/tasks/{taskId}", Ct);
        await task.ReadProblemAsync(HttpStatusCode.Gone, "already-completed", Ct);
    }
}
