using System.Text.Json.Nodes;
using Yishi.Engine.Runtime;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Messages;

/// <summary>Messages from other systems (a 12345 hotline reporting back, say), matched to waiting instances by name and key.</summary>
internal static class MessageEndpoints
{
    public sealed record PublishMessage(string Name, string CorrelationKey, JsonObject? Payload);

    /// <param name="DeliveredTo">The waits (bookmark ids) the message resumed.</param>
    /// <param name="StoredMessageId">The id it was kept under for a later wait, when nobody waited.</param>
    public sealed record MessagePublished(IReadOnlyList<string> DeliveredTo, string? StoredMessageId);

    public static IEndpointRouteBuilder MapMessageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/messages", async (PublishMessage message, System.Security.Claims.ClaimsPrincipal user, WorkflowRuntime runtime, CancellationToken cancellationToken) =>
            {
                if (string.IsNullOrWhiteSpace(message.Name) || string.IsNullOrWhiteSpace(message.CorrelationKey))
                {
                    return Problem.Of(400, "bad-request", "name and correlationKey are required.");
                }

                // A key or person of one community reaches only that community's waiting cases.
                var result = await runtime.PublishMessageAsync(message.Name, message.CorrelationKey, message.Payload, user.Scope(), cancellationToken);
                return TypedResults.Ok(new MessagePublished(result.DeliveredTo, result.StoredMessageId));
            })
            .RequireAuthorization(Policies.PublishMessages).WithTags("Messages").WithName("PublishMessage")
            .WithSummary("Delivers a message to the instances of your org units waiting for its name and correlation key, or keeps it for a later wait there.")
            .Produces<MessagePublished>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        return app;
    }
}
