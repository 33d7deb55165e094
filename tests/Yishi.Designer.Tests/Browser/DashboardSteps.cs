using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Tests.Browser;

/// <summary>Calls to the server's API as a demo user, to set up what the dashboard then shows.</summary>
internal static class DashboardSteps
{
    /// <summary>Sends <paramref name="json"/> to <paramref name="path"/> as <paramref name="userName"/>; answers the response body, failing on a refusal.</summary>
    public static async Task<JsonNode> PostAsUserAsync(this DesignerBrowser browser, string userName, string path, string json, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = browser.ServerAddress };
        using var login = await client.PostAsync(new Uri("api/auth/login", UriKind.Relative),
            new StringContent($$"""{"userName":"{{userName}}","password":"Demo123!"}""", Encoding.UTF8, "application/json"), cancellationToken);
        login.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await login.Content.ReadAsStringAsync(cancellationToken))!["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new StringContent(json, Encoding.UTF8, "application/json"), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
