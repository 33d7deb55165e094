using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Yishi.Designer.Tests.Browser;

/// <summary>What the admin page tests do over the API beside the browser: read a case's task as a user would.</summary>
internal static class AdminSteps
{
    /// <summary>A client on the server signed in as <paramref name="userName"/> (a bearer from the sign-in endpoint).</summary>
    public static async Task<HttpClient> ApiAsync(this DesignerBrowser browser, string userName, CancellationToken cancellationToken)
    {
        var client = new HttpClient { BaseAddress = browser.ServerAddress };
        using var login = await client.PostAsync(new Uri("api/auth/login", UriKind.Relative),
            new StringContent($$"""{"userName":"{{userName}}","password":"Demo123!"}""", Encoding.UTF8, "application/json"), cancellationToken);
        login.EnsureSuccessStatusCode();
        var token = JsonNode.Parse(await login.Content.ReadAsStringAsync(cancellationToken))!["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A case's open task at <paramref name="activityId"/>.</summary>
    public static async Task<JsonNode> TaskAtAsync(this HttpClient client, string instanceId, string activityId, CancellationToken cancellationToken)
    {
        var body = await client.GetStringAsync(new Uri($"api/tasks?instanceId={Uri.EscapeDataString(instanceId)}", UriKind.Relative), cancellationToken);
        return Assert.Single(JsonNode.Parse(body)!.AsArray(), t => t!["activityId"]!.GetValue<string>() == activityId)!;
    }
}
