using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Yishi.Server.Tests.Support;

/// <summary>Reading answers with the body in the failure message, so a wrong status says why.</summary>
public static class Http
{
    /// <summary>Asserts the status and parses the body as JSON.</summary>
    public static async Task<JsonNode> ReadJsonAsync(this HttpResponseMessage response, HttpStatusCode expected, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text) ?? throw new InvalidOperationException("The body is JSON null.");
    }

    /// <summary>Asserts a ProblemDetails answer with the given status and <c>type</c>.</summary>
    public static async Task<JsonNode> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected, string problem, CancellationToken cancellationToken)
    {
        var body = await response.ReadJsonAsync(expected, cancellationToken);
        Assert.Equal("urn:yishi:problem:" + problem, body["type"]?.GetValue<string>());
        Assert.Equal((int)expected, body["status"]?.GetValue<int>());
        return body;
    }

    /// <summary>A JSON body sent as is (a definition document, or text that is not JSON at all).</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
