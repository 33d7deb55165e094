using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Tests.Browser;

/// <summary>
/// The browser tests' way to the API beside the browser: a client signed in as a demo user (a bearer token from
/// <c>/api/auth/login</c>), and JSON sent with the answer's body back, a refusal failing the test with its status and body.
/// </summary>
internal static class ApiSteps
{
    public const string DemoPassword = "Demo123!";

    /// <summary>A client on the server itself, signed in as <paramref name="userName"/>.</summary>
    public static Task<HttpClient> ApiAsync(this DesignerBrowser browser, string userName, CancellationToken cancellationToken, string password = DemoPassword) =>
        SignedInAsync(browser.ServerAddress, userName, cancellationToken, password);

    /// <summary>A client on <paramref name="server"/>, signed in as <paramref name="userName"/>.</summary>
    public static async Task<HttpClient> SignedInAsync(Uri server, string userName, CancellationToken cancellationToken, string password = DemoPassword)
    {
        var client = new HttpClient { BaseAddress = server };
        using var login = await client.PostAsync(new Uri("api/auth/login", UriKind.Relative), Json(new JsonObject { ["userName"] = userName, ["password"] = password }),
            cancellationToken);
        var body = await login.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(login.IsSuccessStatusCode, $"{userName} could not sign in: {(int)login.StatusCode} {body}");
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", JsonNode.Parse(body)!["accessToken"]!.GetValue<string>());
        return client;
    }

    /// <summary>Sends JSON and answers the body (an empty body as <c>{}</c>), asserting success.</summary>
    public static async Task<JsonNode> SendJsonAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative)) { Content = body is null ? null : Json(body) };
        using var response = await client.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }

    private static StringContent Json(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");
}
