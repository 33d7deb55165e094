using System.Text.Json.Nodes;

namespace Yishi.Designer.Tests.Browser;

/// <summary>Calls to the server's API as a demo user, to set up what the dashboard then shows.</summary>
internal static class DashboardSteps
{
    /// <summary>Sends <paramref name="json"/> to <paramref name="path"/> as <paramref name="userName"/>; answers the response body, failing on a refusal.</summary>
    public static async Task<JsonNode> PostAsUserAsync(this DesignerBrowser browser, string userName, string path, string json, CancellationToken cancellationToken)
    {
        using var client = await browser.ApiAsync(userName, cancellationToken);
        return await client.SendJsonAsync(HttpMethod.Post, path, JsonNode.Parse(json), cancellationToken);
    }
}
