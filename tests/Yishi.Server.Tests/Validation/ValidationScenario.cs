using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.Validation;

public sealed class SqliteValidation : ValidationScenario<SqliteTestDatabase>;

public sealed class PostgreSqlValidation : ValidationScenario<PostgreSqlTestDatabase>;

/// <summary>What the API refuses, and that it says where: form fields by name, documents by line and column.</summary>
public abstract class ValidationScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    // Line 3 lacks its comma, so the reader stumbles on line 4, column 3 (1-based, in characters).
    private const string MalformedDocument = "{\n  \"definitionId\": \"broken\",\n  \"name\": \"坏的\"\n  \"activities\": []\n}";

    // Line 6 names a type nobody registered.
    private const string UnknownTypeDocument = """
        {
          "definitionId": "unknown-type",
          "name": "未知类型",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "teleport", "type": "Teleport" },
            { "id": "done", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "teleport" }, { "from": "teleport", "to": "done" } ]
        }
        """;

    [Fact]
    public async Task CompleteTask_UnknownOutcome_Returns422NamingOutcomeAndTaskStaysOpen()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("outcomes"), "outcomes", Ct);
        var (_, taskId) = await server.StartAsync("outcomes", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var response = await mediator.PostAsJsonAsync($"/api/tasks/{taskId}/complete",
            new { outcome = "surrendered", data = new JsonObject { ["agreement"] = "无" } }, Ct);

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-input", Ct);
        var only = Assert.Single(problem["problems"]!.AsArray())!;
        Assert.Equal("outcome", only["property"]?.GetValue<string>());
        Assert.Equal("error", only["severity"]?.GetValue<string>());
        using var task = await mediator.GetAsync($"/api/tasks/{taskId}", Ct);
        Assert.Equal(HttpStatusCode.OK, task.StatusCode);
    }

    [Fact]
    public async Task CompleteTask_MissingRequiredField_Returns422NamingTheField()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("fields"), "fields", Ct);
        var (_, taskId) = await server.StartAsync("fields", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var response = await mediator.PostAsJsonAsync($"/api/tasks/{taskId}/complete", new { outcome = "agreed", data = new JsonObject() }, Ct);

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-input", Ct);
        var only = Assert.Single(problem["problems"]!.AsArray())!;
        Assert.Equal("agreement", only["property"]?.GetValue<string>());
        Assert.Equal("input.missing", only["code"]?.GetValue<string>());
    }

    [Fact]
    public async Task StartInstance_MissingRequiredVariable_Returns422NamingTheVariable()
    {
        var server = NewServer();
        await server.PublishAsync(SampleWorkflows.Mediation("inputs"), "inputs", Ct);
        using var mediator = await server.ClientForAsync("mediator", Ct);

        using var response = await mediator.PostAsJsonAsync("/api/instances", new { definitionId = "inputs", input = new JsonObject() }, Ct);

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-input", Ct);
        Assert.Contains(problem["problems"]!.AsArray(), p => p!["property"]?.GetValue<string>() == "caseTitle");
    }

    /// <summary>The server runs in Development here, where minimal APIs throw on a bad request: it must still answer 400.</summary>
    [Fact]
    public async Task RequestsThatCannotBeRead_Return400NotAServerError()
    {
        var server = NewServer();
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var staff = await server.ClientForAsync("staff", Ct);

        using var notJson = await mediator.PostAsync("/api/tasks/no-such-task/complete", Http.Json("{ \"outcome\": "), Ct);
        using var noVersion = await staff.PostAsync("/api/definitions/no-such-definition/retire", null, Ct);

        await notJson.ReadProblemAsync(HttpStatusCode.BadRequest, "http-400", Ct);
        await noVersion.ReadProblemAsync(HttpStatusCode.BadRequest, "http-400", Ct);
    }

    [Fact]
    public async Task CreateDefinition_MalformedJson_Returns422WithLineAndColumn()
    {
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);

        using var response = await staff.PostAsync("/api/definitions", Http.Json(MalformedDocument), Ct);

        var problem = await response.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-definition", Ct);
        var only = Assert.Single(problem["problems"]!.AsArray())!;
        Assert.Equal("json.malformed", only["code"]?.GetValue<string>());
        Assert.Equal(4, only["line"]?.GetValue<int>());
        Assert.Equal(3, only["column"]?.GetValue<int>());
        using var list = await staff.GetAsync("/api/definitions", Ct);
        Assert.Empty((await list.ReadJsonAsync(HttpStatusCode.OK, Ct)).AsArray());
    }

    /// <summary>A draft may hold errors (work in progress is saved); publishing it is refused with the located error.</summary>
    [Fact]
    public async Task CreateDefinition_UnknownActivityType_SavesDraftButPublishReturns422()
    {
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);

        using (var created = await staff.PostAsync("/api/definitions", Http.Json(UnknownTypeDocument), Ct))
        {
            var draft = await created.ReadJsonAsync(HttpStatusCode.Created, Ct);
            Assert.Equal("Draft", draft["status"]?.GetValue<string>());
        }

        using var published = await staff.PostAsync("/api/definitions/unknown-type/publish", null, Ct);
        var problem = await published.ReadProblemAsync(HttpStatusCode.UnprocessableEntity, "invalid-definition", Ct);
        var unknown = Assert.Single(problem["problems"]!.AsArray(), p => p!["code"]?.GetValue<string>() == "activity.unknown-type")!;
        Assert.Equal("teleport", unknown["activityId"]?.GetValue<string>());
        Assert.Equal(6, unknown["line"]?.GetValue<int>());
        using var mediator = await server.ClientForAsync("mediator", Ct);
        using var started = await mediator.PostAsJsonAsync("/api/instances", new { definitionId = "unknown-type" }, Ct);
        await started.ReadProblemAsync(HttpStatusCode.NotFound, "not-found", Ct);
    }

    [Fact]
    public async Task Validate_BrokenDocument_ReturnsInvalidWithLocatedProblems()
    {
        var server = NewServer();
        using var staff = await server.ClientForAsync("staff", Ct);

        using (var unknownType = await staff.PostAsync("/api/definitions/validate", Http.Json(UnknownTypeDocument), Ct))
        {
            var body = await unknownType.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.False(body["valid"]!.GetValue<bool>());
            var problem = Assert.Single(body["problems"]!.AsArray(), p => p!["code"]?.GetValue<string>() == "activity.unknown-type")!;
            Assert.Equal("teleport", problem["activityId"]?.GetValue<string>());
            Assert.Equal("/activities/1/type", problem["path"]?.GetValue<string>());
            Assert.Equal(6, problem["line"]?.GetValue<int>());
            Assert.True(problem["column"]?.GetValue<int>() > 1);
        }

        using (var malformed = await staff.PostAsync("/api/definitions/validate", Http.Json(MalformedDocument), Ct))
        {
            var body = await malformed.ReadJsonAsync(HttpStatusCode.OK, Ct);
            Assert.False(body["valid"]!.GetValue<bool>());
            var problem = Assert.Single(body["problems"]!.AsArray())!;
            Assert.Equal(4, problem["line"]?.GetValue<int>());
            Assert.Equal(3, problem["column"]?.GetValue<int>());
        }

        using var valid = await staff.PostAsync("/api/definitions/validate", Http.Json(SampleWorkflows.Mediation("fine")), Ct);
        Assert.True((await valid.ReadJsonAsync(HttpStatusCode.OK, Ct))["valid"]!.GetValue<bool>());
    }
}
