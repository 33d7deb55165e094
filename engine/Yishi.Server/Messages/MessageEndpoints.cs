using System.Text.Json.Nodes;
using Yishi.Engine.Runtime;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Messages;

/// <summary>Messages from other systems (a 12345 hotline reporting back, say), matched to waiting instances by name and key.</summary>
internal static class MessageEndpoints
{
    public sealed record PublishMessage(string Name, string CorrelationKey, JsonObject? Payload);

    public static IEndpointRouteBuilder MapMessageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages", async (PublishMessage message, WorkflowRuntime runtime, CancellationToken cancellationToken) =>
            {
                if (string.IsNullOrWhiteSpace(message.Name) || string.IsNullOrWhiteSpace(message.CorrelationKey))
                {
                    return Problem.Of(400, "bad-request", "name and correlationKey are required.");
                }

                var result = await runtime.PublishMessageAsync(message.Name, message.CorrelationKey, message.Payload, cancellationToken);
                return TypedResults.Ok(new { deliveredTo = result.DeliveredTo, storedMessageId = result.StoredMessageId });
            })
            .RequireAuthorization(Policies.PublishMessages).WithTags("Messages");
        return app;
    }
}
