using System.Security.Claims;
using System.Text.Json.Nodes;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Server.Identity;
using Yishi.Server.Problems;
using Yishi.Server.Tasks;

namespace Yishi.Server.Instances;

/// <summary>Starting, reading, cancelling and retrying workflow instances.</summary>
internal static class InstanceEndpoints
{
    public const int MaxPageSize = 100;

    public sealed record StartInstance(string DefinitionId, JsonObject? Input, string? CorrelationKey);

    public sealed record Started(string Id, InstanceStatus Status, IReadOnlyList<TaskEndpoints.TaskView> Tasks);

    public sealed record InstanceView(string Id, string DefinitionId, int DefinitionVersion, InstanceStatus Status, string? CorrelationKey,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, JsonNode? Result, IReadOnlyList<IncidentView> Incidents);

    public sealed record IncidentView(string ActivityId, string Message, DateTimeOffset At);

    public sealed record CancelRequest(string? Reason);

    public static IEndpointRouteBuilder MapInstanceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instances").WithTags("Instances");
        group.MapPost("/", StartAsync).RequireAuthorization(Policies.StartInstances).AddEndpointFilter<Idempotency.IdempotencyFilter>()
            .WithSummary("Starts an instance. Honours Idempotency-Key: a repeat returns the first result.");
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.ReadInstances);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.ReadInstances);
        group.MapGet("/{id}/journal", JournalAsync).RequireAuthorization(Policies.Staff);
        group.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(Policies.Staff);
        group.MapPost("/{id}/retry", RetryAsync).RequireAuthorization(Policies.Staff);
        return app;
    }

    private static async Task<IResult> StartAsync(StartInstance request, ClaimsPrincipal user, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.DefinitionId))
        {
            return Problem.Of(400, "bad-request", "definitionId is required.");
        }

        var result = await runtime.StartAsync(new StartRequest(request.DefinitionId, request.Input, request.CorrelationKey, user.ToActor()), cancellationToken);
        return result.Succeeded
            ? TypedResults.Created($"/api/instances/{result.InstanceId}", new Started(result.InstanceId!, result.InstanceStatus!.Value, [.. result.Bookmarks.Where(b => b.Kind == Engine.Bookmarks.BookmarkKind.HumanTask).Select(TaskEndpoints.View)]))
            : Problem.From(result);
    }

    private static async Task<IResult> ListAsync(string? definitionId, InstanceStatus? status, string? correlationKey, int? page, int? pageSize, WorkflowRuntime runtime,
        CancellationToken cancellationToken)
    {
        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var rows = await runtime.QueryInstancesAsync(new InstanceQuery
        {
            DefinitionId = definitionId,
            Status = status,
            CorrelationKey = correlationKey,
            Limit = size,
            Offset = Math.Max(0, (page ?? 1) - 1) * size,
        }, cancellationToken);
        return TypedResults.Ok(rows);
    }

    private static async Task<IResult> GetAsync(string id, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var instance = await runtime.FindInstanceAsync(id, cancellationToken);
        return instance is null
            ? Problem.Of(404, "not-found", $"There is no instance '{id}'.")
            : TypedResults.Ok(new InstanceView(instance.Id, instance.DefinitionId, instance.DefinitionVersion, instance.Status, instance.CorrelationKey,
                instance.CreatedAt, instance.UpdatedAt, instance.FinishedAt, instance.State.Result,
                [.. instance.State.Incidents.Select(i => new IncidentView(i.ActivityId, i.Message, i.At))]));
    }

    private static async Task<IResult> JournalAsync(string id, long? from, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is null)
        {
            return Problem.Of(404, "not-found", $"There is no instance '{id}'.");
        }

        IReadOnlyList<JournalEntry> entries = await runtime.ReadJournalAsync(id, from ?? 0, 1000, cancellationToken);
        return TypedResults.Ok(entries);
    }

    private static async Task<IResult> CancelAsync(string id, CancelRequest? request, ClaimsPrincipal user, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var result = await runtime.CancelAsync(id, user.ToActor(), request?.Reason, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(new { id, status = result.InstanceStatus }) : Problem.From(result);
    }

    private static async Task<IResult> RetryAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var result = await runtime.RetryAsync(id, user.ToActor(), cancellationToken);
        return result.Succeeded ? TypedResults.Ok(new { id, status = result.InstanceStatus }) : Problem.From(result);
    }
}
