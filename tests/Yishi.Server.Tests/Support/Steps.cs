using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Yishi.Server.Tests.Support;

/// <summary>Steps several scenarios share, over HTTP like a client would take them.</summary>
public static class Steps
{
    /// <summary>staff creates and publishes the document.</summary>
    public static async Task PublishAsync(this YishiFactory server, string document, string definitionId, CancellationToken cancellationToken)
    {
        using var staff = await server.ClientForAsync("staff", cancellationToken);
        using (var created = await staff.PostAsync("/api/definitions", Http.Json(document), cancellationToken))
        {
            await created.ReadJsonAsync(HttpStatusCode.Created, cancellationToken);
        }

        using var published = await staff.PostAsync($"/api/definitions/{definitionId}/publish", null, cancellationToken);
        await published.ReadJsonAsync(HttpStatusCode.OK, cancellationToken);
    }

    /// <summary>admin adds a user (password <see cref="YishiFactory.DemoPassword"/>); answers the user id.</summary>
    public static async Task<string> CreateUserAsync(this YishiFactory server, string userName, string orgUnitId, string role, CancellationToken cancellationToken)
    {
        using var admin = await server.ClientForAsync("admin", cancellationToken);
        using var created = await admin.PostAsJsonAsync("/api/admin/users",
            new { userName, displayName = "测试" + userName, password = YishiFactory.DemoPassword, orgUnitId, roles = new[] { role } }, cancellationToken);
        return (await created.ReadJsonAsync(HttpStatusCode.Created, cancellationToken))["id"]!.GetValue<string>();
    }

    /// <summary>The user id of a demo user.</summary>
    public static async Task<string> UserIdAsync(this YishiFactory server, string userName, CancellationToken cancellationToken)
    {
        using var client = await server.ClientForAsync(userName, cancellationToken);
        using var me = await client.GetAsync("/api/me", cancellationToken);
        return (await me.ReadJsonAsync(HttpStatusCode.OK, cancellationToken))["id"]!.GetValue<string>();
    }

    /// <summary>mediator starts an instance; answers the instance id and the id of its first task.</summary>
    public static async Task<(string InstanceId, string TaskId)> StartAsync(this YishiFactory server, string definitionId, CancellationToken cancellationToken)
    {
        using var mediator = await server.ClientForAsync("mediator", cancellationToken);
        using var started = await mediator.PostAsJsonAsync("/api/instances",
            new { definitionId, input = new JsonObject { ["caseTitle"] = "楼上漏水" }, correlationKey = "case-1" }, cancellationToken);
        var body = await started.ReadJsonAsync(HttpStatusCode.Created, cancellationToken);
        return (body["id"]!.GetValue<string>(), body["tasks"]![0]!["id"]!.GetValue<string>());
    }
}
