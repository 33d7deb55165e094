using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Yishi.Server.Tests.Support;

namespace Yishi.Server.Tests.CaseFiles;

/// <summary>Steps the case-file scenarios share, taken over HTTP as a client would.</summary>
internal static class CaseFileSteps
{
    /// <summary>The mediator of c1 starts <paramref name="definitionId"/> (a <see cref="SampleWorkflows.Mediation"/>) with these parties; answers the case id.</summary>
    public static async Task<string> StartWithPartiesAsync(this YishiFactory server, string definitionId, object[] parties, CancellationToken cancellationToken,
        JsonObject? input = null)
    {
        using var mediator = await server.ClientForAsync("mediator", cancellationToken);
        using var started = await mediator.PostAsJsonAsync("/api/instances",
            new { definitionId, input = input ?? new JsonObject { ["caseTitle"] = "楼上漏水" }, parties }, cancellationToken);
        return (await started.ReadJsonAsync(HttpStatusCode.Created, cancellationToken))["id"]!.GetValue<string>();
    }

    /// <summary>GET /api/instances/{id}/file, asserting 200.</summary>
    public static async Task<JsonNode> ReadFileAsync(this HttpClient client, string instanceId, CancellationToken cancellationToken)
    {
        using var response = await client.GetAsync($"/api/instances/{instanceId}/file", cancellationToken);
        return await response.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>The case's journal as text and its <c>CaseNoted</c> entries, read by the mediator of c1.</summary>
    public static async Task<(string Text, List<JsonNode> Notes)> ReadNotesAsync(this YishiFactory server, string instanceId, CancellationToken cancellationToken)
    {
        using var mediator = await server.ClientForAsync("mediator", cancellationToken);
        using var response = await mediator.GetAsync($"/api/instances/{instanceId}/journal", cancellationToken);
        var journal = await response.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
        return (journal.ToJsonString(), [.. journal.AsArray().Where(e => e!["kind"]!.GetValue<string>() == "CaseNoted").Select(e => e!)]);
    }

    /// <summary>The <c>property</c> of each problem in a 400 answer, in order.</summary>
    public static async Task<List<string>> ProblemFieldsAsync(this HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.ReadProblemAsync(HttpStatusCode.BadRequest, "bad-request", cancellationToken);
        return [.. body["problems"]!.AsArray().Select(p => p!["property"]!.GetValue<string>())];
    }
}
