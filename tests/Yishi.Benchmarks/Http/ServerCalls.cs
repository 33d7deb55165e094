using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Yishi.Benchmarks.Http;

/// <summary>Calls the benchmarks make to the server process outside the measured part: signing in and set-up requests.</summary>
internal static class ServerCalls
{
    /// <summary>The demo users' password.</summary>
    public const string Password = "Demo123!";

    /// <summary>Signs a demo user in; answers the bearer token.</summary>
    public static async Task<string> LoginAsync(HttpClient http, string user, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { userName = user, password = Password }, cancellationToken);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return body.RootElement.GetProperty("accessToken").GetString()!;
    }

    /// <summary>Sends a request with a bearer token; a failure throws with the answer's body.</summary>
    public static async Task<JsonDocument> SendAsync(HttpClient http, HttpMethod method, string path, string token, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? JsonDocument.Parse(text.Length == 0 ? "{}" : text)
            : throw new HttpRequestException($"{method} {path}: {(int)response.StatusCode} {text}");
    }
}
