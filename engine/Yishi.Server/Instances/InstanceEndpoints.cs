using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Hosting;
using Yishi.Server.Identity;
using Yishi.Server.OrgUnits;
using Yishi.Server.Problems;
using Yishi.Server.Tasks;

namespace Yishi.Server.Instances;

/// <summary>Starting, reading, cancelling and retrying workflow instances (cases).</summary>
internal static class InstanceEndpoints
{
    public const int MaxPageSize = 100;

    /// <param name="DefinitionId">The workflow.</param>
    /// <param name="Input">Values for its declared variables.</param>
    /// <param name="CorrelationKey">A business key, e.g. a hotline ticket number.</param>
    /// <param name="OrgUnitId">The unit the case belongs to: the caller's own unless given (it must be theirs or below).</param>
    /// <param name="Parties">People linked to the case, who can then follow it.</param>
    public sealed record StartInstance(string DefinitionId, JsonObject? Input, string? CorrelationKey, string? OrgUnitId, IReadOnlyList<CasePartyEndpoints.LinkParty>? Parties);

    public sealed record Started(string Id, InstanceStatus Status, IReadOnlyList<TaskEndpoints.TaskView> Tasks);

    /// <summary>A case: where it stands (<c>Waiting</c>: the steps it waits at), its incidents and, for staff, its parties.</summary>
    public sealed record InstanceView(string Id, string DefinitionId, int DefinitionVersion, InstanceStatus Status, string? CorrelationKey, string? OrgUnitId,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt, JsonNode? Result, IReadOnlyList<IncidentView> Incidents,
        IReadOnlyList<CasePartyEndpoints.PartyView> Parties, IReadOnlyList<WaitingAt> Waiting);

    /// <summary>A step a case waits at: a task for a role, a timer, a message, a ballot… (no assignee: that is the inbox's business).</summary>
    public sealed record WaitingAt(string ActivityId, Engine.Bookmarks.BookmarkKind Kind, string? Role, DateTimeOffset? DueAt);

    public sealed record InstanceRow(string Id, string DefinitionId, int DefinitionVersion, InstanceStatus Status, string? CorrelationKey, string? OrgUnitId,
        DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt);

    public sealed record IncidentView(string ActivityId, string Message, DateTimeOffset At);

    public sealed record CancelRequest(string? Reason);

    /// <summary>What cancelling or retrying answers: the instance's status after the step.</summary>
    public sealed record InstanceChanged(string Id, InstanceStatus Status);

    public static IEndpointRouteBuilder MapInstanceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/instances").WithTags("Instances");
        group.MapPost("/", StartAsync).RequireAuthorization(Policies.StartInstances).AddEndpointFilter<Idempotency.IdempotencyFilter>().WithName("StartInstance")
            .WithSummary("Starts an instance in the caller's org unit (or orgUnitId below it). Honours Idempotency-Key: a repeat returns the first result.")
            .WithRequestHeader(Idempotency.IdempotencyFilter.Header, "A key of your choosing: a repeat with the same key answers the first result again.", required: false)
            .Produces<Started>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/", ListAsync).RequireAuthorization(Policies.ReadInstances).WithName("ListInstances")
            .WithSummary("Instances, newest first: staff see their org units', residents the cases they are party to.")
            .Produces<IReadOnlyList<InstanceRow>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id}", GetAsync).RequireAuthorization(Policies.ReadInstances).WithName("GetInstance")
            .Produces<InstanceView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/{id}/journal", JournalAsync).RequireAuthorization(Policies.Staff).WithName("ReadJournal")
            .WithSummary("The instance's journal, from sequence number `from` on (at most 1000 entries).")
            .Produces<IReadOnlyList<JournalEntry>>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/cancel", CancelAsync).RequireAuthorization(Policies.Staff).WithName("CancelInstance")
            .Produces<InstanceChanged>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        group.MapPost("/{id}/retry", RetryAsync).RequireAuthorization(Policies.Staff).WithName("RetryInstance")
            .WithSummary("Retries a faulted instance: its failed activities run again; 409 when it is not faulted.")
            .Produces<InstanceChanged>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapCasePartyEndpoints();
        return app;
    }

    private static async Task<IResult> StartAsync(StartInstance request, ClaimsPrincipal user, WorkflowRuntime runtime, OrgUnitDirectory directory, OrgScope scope,
        IServiceProvider services, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.DefinitionId))
        {
            return Problem.Of(400, "bad-request", "definitionId is required.");
        }

        var orgUnitId = request.OrgUnitId ?? user.OrgUnit();
        if (await directory.PathOfAsync(orgUnitId, cancellationToken) is not { } path)
        {
            return Problem.Of(400, "bad-request", orgUnitId.Length == 0 ? "orgUnitId is required: you belong to no org unit." : $"There is no org unit '{orgUnitId}'.");
        }

        if (!await scope.CanChangeAsync(user, orgUnitId, cancellationToken))
        {
            return Problem.Of(403, "outside-your-org-unit", "Forbidden", $"You act in your own org unit and the units below it, not in '{orgUnitId}'.");
        }

        // A workflow owned by another community is not theirs to run; it answers as absent, like the runtime's "no published version".
        if (!await scope.CanSeeDefinitionAsync(user, request.DefinitionId, cancellationToken))
        {
            return Problem.Of(404, "not-found", "Not found", $"'{request.DefinitionId}' has no published version.");
        }

        var parties = request.Parties ?? [];
        if (parties.Count > 0 && await CasePartyEndpoints.CheckAsync(parties, services.GetRequiredService<ServerDbContext>(), cancellationToken) is { } problem)
        {
            return problem;
        }

        var result = await runtime.StartAsync(new StartRequest(request.DefinitionId, request.Input, request.CorrelationKey, user.ToActor(), Scope: path), cancellationToken);
        if (!result.Succeeded)
        {
            return Problem.From(result);
        }

        if (parties.Count > 0)
        {
            await CasePartyEndpoints.LinkAsync(result.InstanceId!, parties, user, services.GetRequiredService<ServerDbContext>(), services.GetRequiredService<TimeProvider>(),
                services.GetRequiredService<CaseFiles.CaseJournal>(), cancellationToken);
        }

        return TypedResults.Created($"/api/instances/{result.InstanceId}",
            new Started(result.InstanceId!, result.InstanceStatus!.Value, [.. result.Bookmarks.Where(b => b.Kind == Engine.Bookmarks.BookmarkKind.HumanTask).Select(TaskEndpoints.View)]));
    }

    private static async Task<IResult> ListAsync(string? definitionId, InstanceStatus? status, string? correlationKey, int? page, int? pageSize, ClaimsPrincipal user,
        WorkflowRuntime runtime, IServiceProvider services, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var query = new InstanceQuery
        {
            DefinitionId = definitionId,
            Status = status,
            CorrelationKey = correlationKey,
            ScopePrefix = user.Scope(),
            Limit = size,
            Offset = Math.Max(0, (page ?? 1) - 1) * size,
        };
        if (user.SeesByPartyOnly())
        {
            var userId = user.UserId();
            var mine = await services.GetRequiredService<ServerDbContext>().CaseParties.AsNoTracking().Where(p => p.UserId == userId).Select(p => p.InstanceId)
                .ToListAsync(cancellationToken);
            if (mine.Count == 0)
            {
                return TypedResults.Ok(Array.Empty<InstanceRow>());
            }

            query = query with { ScopePrefix = null, Ids = [.. mine] };
        }

        var rows = await runtime.QueryInstancesAsync(query, cancellationToken);
        return TypedResults.Ok(rows.Select(r => new InstanceRow(r.Id, r.DefinitionId, r.DefinitionVersion, r.Status, r.CorrelationKey, OrgUnitDirectory.IdOf(r.Scope),
            r.CreatedAt, r.UpdatedAt, r.FinishedAt)).ToList());
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        var instance = await runtime.FindInstanceAsync(id, cancellationToken);
        if (instance is null || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return NotFound(id);
        }

        // Residents see that a case has parties only through their own link, never the others' names.
        var parties = user.SeesByPartyOnly() ? [] : await CasePartyEndpoints.ListAsync(id, db, cancellationToken);
        return TypedResults.Ok(new InstanceView(instance.Id, instance.DefinitionId, instance.DefinitionVersion, instance.Status, instance.CorrelationKey,
            OrgUnitDirectory.IdOf(instance.Scope), instance.CreatedAt, instance.UpdatedAt, instance.FinishedAt, instance.State.Result,
            [.. instance.State.Incidents.Select(i => new IncidentView(i.ActivityId, i.Message, i.At))], parties,
            [.. (await runtime.QueryBookmarksAsync(new Engine.Persistence.BookmarkQuery { InstanceId = id, Limit = 1000 }, cancellationToken))
                .Select(b => new WaitingAt(b.ActivityId, b.Kind, b.Role, b.DueAt))]));
    }

    private static async Task<IResult> JournalAsync(string id, long? from, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return NotFound(id);
        }

        IReadOnlyList<JournalEntry> entries = await runtime.ReadJournalAsync(id, from ?? 0, 1000, cancellationToken);
        return TypedResults.Ok(entries);
    }

    private static async Task<IResult> CancelAsync(string id, CancelRequest? request, ClaimsPrincipal user, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var result = await runtime.CancelAsync(id, user.ToActor(), request?.Reason, cancellationToken);
        return result.Succeeded ? TypedResults.Ok(new InstanceChanged(id, result.InstanceStatus!.Value)) : Problem.From(result);
    }

    private static async Task<IResult> RetryAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var result = await runtime.RetryAsync(id, user.ToActor(), cancellationToken);
        return result.Succeeded ? TypedResults.Ok(new InstanceChanged(id, result.InstanceStatus!.Value)) : Problem.From(result);
    }

    public static IResult NotFound(string id) => Problem.Of(404, "not-found", "Not found", $"There is no instance '{id}'.");
}
