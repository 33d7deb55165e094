using System.Text.Json.Nodes;

namespace Yishi.Designer.Tests.Browser;

/// <summary>What the admin page tests do over the API beside the browser: read a case's task as a user would.</summary>
internal static class AdminSteps
{
    /// <summary>A case's open task at <paramref name="activityId"/>.</summary>
    public static async Task<JsonNode> TaskAtAsync(this HttpClient client, string instanceId, string activityId, CancellationToken cancellationToken)
    {
        var body = await client.GetStringAsync(new Uri($"api/tasks?instanceId={Uri.EscapeDataString(instanceId)}", UriKind.Relative), cancellationToken);
        return Assert.Single(JsonNode.Parse(body)!.AsArray(), t => t!["activityId"]!.GetValue<string>() == activityId)!;
    }
}
