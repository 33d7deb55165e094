using System.Net;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.OpenApi;

public sealed class SqliteGeneratedClient : GeneratedClientScenario<SqliteTestDatabase>;

public sealed class PostgreSqlGeneratedClient : GeneratedClientScenario<PostgreSqlTestDatabase>;

/// <summary>
/// The published OpenAPI document is a contract: a client generated from it, today's and not a copy kept in the
/// repository, must build, and code written against its types must be able to work a mediator's inbox.
/// </summary>
public abstract class GeneratedClientScenario<TDatabase> : ServerScenario<TDatabase> where TDatabase : ITestDatabase, new()
{
    /// <summary>Operations that answer without a signed-in caller; every other one must declare its security.</summary>
    private static readonly string[] Anonymous = ["POST /api/auth/login", "POST /api/auth/codes", "POST /api/auth/login/code", "POST /api/auth/password/reset"];

    /// <summary>
    /// A consumer's code, compiled with the generated client: it names the generated methods and models, so a
    /// missing operationId, an untyped answer or an undocumented 201 fails to compile or throws.
    /// </summary>
    private const string Consumer = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net.Http;
        using System.Net.Http.Headers;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Yishi.Generated;

        public static class MediatorsDay
        {
            public static async Task<(int AnonymousStatus, int RefusedStatus, string RefusedProblems, string Status, string? Result, int AfterwardsStatus, string? AfterwardsProblem)> RunAsync(
                HttpClient staffHttp, HttpClient mediatorHttp, string password, string definition, CancellationToken ct)
            {
                var (anonymousStatus, _, _) = await ProblemOfAsync(() => new YishiClient(mediatorHttp).ListTasksAsync(true, null, null, ct));
                var staff = await SignInAsync(staffHttp, "staff", password, ct);
                // The definition document goes as the JSON object it is; its draft answers 201.
                DefinitionView draft = await staff.CreateDefinitionAsync(null, System.Text.Json.JsonSerializer.Deserialize<JsonObject>(definition)!, ct);
                // Publishing takes an optional change note; the server also accepts no body at all (older clients).
                DefinitionView published = await staff.PublishDefinitionAsync(draft.DefinitionId, new PublishRequest { Note = "首版" }, ct);
                if (published.Note != "首版")
                {
                    throw new InvalidOperationException($"The change note came back as '{published.Note}'.");
                }

                var mediator = await SignInAsync(mediatorHttp, "mediator", password, ct);
                Started started = await mediator.StartInstanceAsync(null,
                    new StartInstance { DefinitionId = published.DefinitionId, Input = Json("caseTitle", "楼上漏水"), CorrelationKey = "generated-1" }, ct);
                ICollection<TaskView> inbox = await mediator.ListTasksAsync(true, null, null, ct);
                TaskView task = inbox.SingleOrDefault(t => t.InstanceId == started.Id)
                    ?? throw new InvalidOperationException($"The mediator's inbox lacks the task of {started.Id}: {string.Join(", ", inbox.Select(t => t.Id))}");
                // "agreement" is a required form field: without it the answer is 422 with the problem found; with it,
                // completion succeeds only if the data survives the generated model and serializer.
                var (refusedStatus, _, refusedProblems) = await ProblemOfAsync(() => mediator.CompleteTaskAsync(task.Id, null,
                    new CompleteTask { Outcome = "agreed", Data = new JsonObject() }, ct));
                TaskCompleted completed = await mediator.CompleteTaskAsync(task.Id, null,
                    new CompleteTask { Outcome = "agreed", Data = Json("agreement", "维修费用由楼上承担") }, ct);
                InstanceView instance = await mediator.GetInstanceAsync(completed.InstanceId, ct);

                var (afterwardsStatus, afterwardsProblem, _) = await ProblemOfAsync(() => mediator.GetTaskAsync(task.Id, ct));
                return (anonymousStatus, refusedStatus, refusedProblems, instance.Status.ToString(), instance.Result?.ToString(), afterwardsStatus, afterwardsProblem);
            }

            /// <summary>Status, type and validation problems of a call that must fail with a documented ProblemDetails answer.</summary>
            private static async Task<(int Status, string? Type, string Problems)> ProblemOfAsync(Func<Task> call)
            {
                try
                {
                    await call();
                    return (200, null, "");
                }
                catch (ApiException<ProblemDetails> problem)
                {
                    var found = problem.Result.Problems ?? [];
                    return (problem.StatusCode, problem.Result.Type, string.Join("; ", found.Select(p => $"{p.Code} {p.Property} {p.Path} {p.Message}")));
                }
            }

            private static async Task<YishiClient> SignInAsync(HttpClient http, string userName, string password, CancellationToken ct)
            {
                var client = new YishiClient(http);
                AccessTokenResponse token = await client.LoginAsync(null, new LoginRequest { UserName = userName, Password = password }, ct);
                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token.AccessToken);
                return client;
            }

            private static JsonObject Json(string name, string value) => new() { AdditionalProperties = { [name] = value } };
        }
        """;

    [Fact]
    public async Task ClientGeneratedFromOpenApi_ListsAndCompletesTheMediatorsTask_InstanceCompletes()
    {
        var server = NewServer();
        var generated = await OpenApiClientCompiler.CompileAsync(await DocumentAsync(server), Consumer, Ct);
        using var staff = server.Anonymous();
        using var mediator = server.Anonymous();

        var (anonymousStatus, refusedStatus, refusedProblems, status, result, afterwardsStatus, afterwardsProblem) =
            await generated.RunAsync<(int, int, string, string, string?, int, string?)>(
            "MediatorsDay", "RunAsync", staff, mediator, YishiFactory.DemoPassword, SampleWorkflows.Mediation("generated"), Ct);

        // Without a token the inbox answers 401 as a ProblemDetails the generated client reads.
        Assert.Equal((int)HttpStatusCode.Unauthorized, anonymousStatus);
        // A completion without the required field answers 422, with the problem the generated model carries.
        Assert.Equal((int)HttpStatusCode.UnprocessableEntity, refusedStatus);
        Assert.Contains("agreement", refusedProblems, StringComparison.Ordinal);
        Assert.Equal("Completed", status);
        Assert.Equal("agreed", result);
        // A completed task answers 410 as a ProblemDetails the generated client reads.
        Assert.Equal((int)HttpStatusCode.Gone, afterwardsStatus);
        Assert.Equal("urn:yishi:problem:already-completed", afterwardsProblem);
    }

    [Fact]
    public async Task Document_DescribesEveryOperation_IdTypedAnswersProblemsAndSecurity()
    {
        var document = JsonNode.Parse(await DocumentAsync(NewServer()))!;
        var schemes = document["components"]?["securitySchemes"]?.AsObject();
        Assert.True(schemes is not null && schemes.ContainsKey("Bearer") && schemes.ContainsKey("ApiKey"), $"Security schemes: {schemes}");

        var wrong = new List<string>();
        var ids = new List<string>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in item!.AsObject())
            {
                var key = $"{method.ToUpperInvariant()} {path}";
                ids.Add(operation!["operationId"]?.GetValue<string>() ?? "");
                wrong.AddRange(Faults(key, operation!));
            }
        }

        var repeated = ids.Where(id => id.Length > 0).GroupBy(id => id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(repeated.Count == 0, "Repeated operationIds: " + string.Join(", ", repeated));
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    /// <summary>What a generated client needs from an operation and does not get.</summary>
    private static IEnumerable<string> Faults(string key, JsonNode operation)
    {
        if (operation["operationId"] is null)
        {
            yield return $"{key}: no operationId (.WithName).";
        }

        var responses = operation["responses"]?.AsObject() ?? [];
        var successes = responses.Where(r => r.Key.StartsWith('2')).ToList();
        if (successes.Count == 0)
        {
            yield return $"{key}: no 2xx answer.";
        }

        foreach (var (status, response) in successes.Where(r => r.Key != "204"))
        {
            // JSON for data; a document (text/html, application/pdf), an export (JSON Lines) or a file (octet-stream) is described by its own media type.
            if (response?["content"]?["application/json"]?["schema"] is null
                && response?["content"]?.AsObject().Any(c => c.Key is "text/html" or "application/pdf" or "application/x-ndjson" or "application/octet-stream" && c.Value?["schema"] is not null) != true)
            {
                yield return $"{key}: the {status} answer has no JSON schema (.Produces<T>).";
            }
        }

        foreach (var (status, response) in responses.Where(r => r.Key[0] is '4' or '5'))
        {
            if (response?["content"]?["application/problem+json"]?["schema"] is null)
            {
                yield return $"{key}: the {status} answer is not described as application/problem+json.";
            }
        }

        var secured = operation["security"]?.AsArray().Count > 0;
        if (secured == Anonymous.Contains(key))
        {
            yield return $"{key}: {(secured ? "anonymous, yet declares security" : "declares no security requirement")}.";
        }

        if (secured && !(responses.ContainsKey("401") && responses.ContainsKey("403")))
        {
            yield return $"{key}: secured, but 401 and 403 are not described.";
        }
    }

    private static async Task<string> DocumentAsync(YishiFactory server)
    {
        using var anonymous = server.Anonymous();
        return await anonymous.GetStringAsync("/openapi/v1.json", Ct);
    }
}
