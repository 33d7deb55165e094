using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Rehearsals;
using Yishi.Engine.Time;
using Yishi.Server.Identity;
using Yishi.Server.OrgUnits;
using Yishi.Server.Problems;

namespace Yishi.Server.Rehearsals;

/// <summary>Rehearsing a workflow: run one instance of a draft or version on its own clock, complete its tasks, move time on.</summary>
internal static class RehearsalEndpoints
{
    /// <param name="Version">The version to rehearse; the newest (a draft, if there is one) when absent.</param>
    /// <param name="Input">Values for its variables.</param>
    public sealed record StartRehearsal(int? Version, JsonObject? Input);

    /// <param name="By">How far to move the clock: an ISO 8601 duration (<c>"P3D"</c>) or a working duration (<c>{"workingDays": 5}</c>).</param>
    public sealed record Advance(JsonElement By);

    public sealed record CompleteRehearsalTask(string? Outcome, JsonObject? Data);

    public sealed record WaitView(string Id, BookmarkKind Kind, string ActivityId, string? Role, string? UserId, DateTimeOffset? DueAt, JsonObject? Details);

    /// <summary>
    /// A rehearsal as it stands; <c>Messages</c> is what it would have sent or printed, rendered in the reader's
    /// language (<c>?locale=en</c>): nothing is sent.
    /// </summary>
    public sealed record RehearsalView(string Id, string DefinitionId, int DefinitionVersion, DateTimeOffset Now, InstanceStatus Status, JsonObject Variables, JsonNode? Result,
        IReadOnlyList<WaitView> Waiting, IReadOnlyList<JournalEntry> Journal, IReadOnlyList<RehearsalMessage> Messages);

    /// <summary>What every answer needs to describe a rehearsal.</summary>
    public sealed record Viewing(string Id, string DefinitionId, string? Locale, RehearsalMessages Messages);

    public static IEndpointRouteBuilder MapRehearsalEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/definitions/{definitionId}/rehearsals", StartAsync).RequireAuthorization(Policies.Design).WithTags("Rehearsals").WithName("StartRehearsal")
            .WithSummary("Starts a rehearsal: one instance of the draft (or the version given) on a clock of its own, touching no real case.")
            .Produces<RehearsalView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        var group = app.MapGroup("/api/rehearsals").RequireAuthorization(Policies.Design).WithTags("Rehearsals");
        group.MapGet("/{id}", GetAsync).WithName("GetRehearsal")
            .Produces<RehearsalView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/advance", AdvanceAsync).WithName("AdvanceRehearsal")
            .WithSummary("Moves the rehearsal's clock forward; every timer due on the way fires at its own time.")
            .Produces<RehearsalView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/tasks/{taskId}/complete", CompleteAsync).WithName("CompleteRehearsalTask")
            .WithSummary("Completes a rehearsal's task as whoever it is for would, or settles a message, ballot, consultation or co-signing wait with the outcome given.")
            .Produces<RehearsalView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteRehearsal")
            .Produces(StatusCodes.Status204NoContent)
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> StartAsync(string definitionId, StartRehearsal? request, string? locale, ClaimsPrincipal user, IWorkflowStore store, OrgScope scope,
        RehearsalRoom room, RehearsalMessages messages, IWorkingCalendar calendar, TimeProvider clock, CancellationToken cancellationToken)
    {
        var versions = await store.ListVersionsAsync(definitionId, cancellationToken);
        var chosen = request?.Version is { } wanted ? versions.FirstOrDefault(v => v.Version == wanted) : versions.Count > 0 ? versions[^1] : null;
        if (chosen is null || !await scope.CanSeeDefinitionAsync(user, definitionId, cancellationToken))
        {
            return Problem.Of(404, "not-found", "Not found", $"There is no definition '{definitionId}'{(request?.Version is { } v ? $" version {v}" : "")}.");
        }

        var (rehearsal, problems, message) = await Rehearsal.StartAsync(chosen.Json, request?.Input, clock.GetUtcNow(), calendar, cancellationToken: cancellationToken);
        if (rehearsal is null)
        {
            return Problem.Of(422, "rehearsal-not-started", "The rehearsal could not start", message, problems);
        }

        if (await room.AddAsync(rehearsal, user.UserId(), definitionId) is not { } id)
        {
            await rehearsal.DisposeAsync();
            return Problem.Of(429, "too-many-rehearsals", "Too many rehearsals", $"At most {RehearsalRoom.MaxRehearsals} rehearsals run at once; delete finished ones.");
        }

        return TypedResults.Created($"/api/rehearsals/{id}", await ViewAsync(new(id, definitionId, locale, messages), rehearsal, await rehearsal.StateAsync(cancellationToken), cancellationToken));
    }

    private static async Task<IResult> GetAsync(string id, string? locale, ClaimsPrincipal user, RehearsalRoom room, RehearsalMessages messages, CancellationToken cancellationToken) =>
        room.Find(id, user.UserId()) is var (rehearsal, definitionId)
            ? TypedResults.Ok(await ViewAsync(new(id, definitionId, locale, messages), rehearsal, await rehearsal.StateAsync(cancellationToken), cancellationToken))
            : NotFound(id);

    private static async Task<IResult> AdvanceAsync(string id, Advance request, string? locale, ClaimsPrincipal user, RehearsalRoom room, RehearsalMessages messages,
        IWorkingCalendar calendar, CancellationToken cancellationToken)
    {
        if (room.Find(id, user.UserId()) is not var (rehearsal, definitionId))
        {
            return NotFound(id);
        }

        if (WorkDuration.TryParse(request.By, out var error) is not { } duration)
        {
            return Problem.Of(400, "bad-request", "Bad duration", error);
        }

        return TypedResults.Ok(await ViewAsync(new(id, definitionId, locale, messages), rehearsal, await rehearsal.AdvanceAsync(duration, calendar, cancellationToken), cancellationToken));
    }

    private static async Task<IResult> CompleteAsync(string id, string taskId, CompleteRehearsalTask request, string? locale, ClaimsPrincipal user, RehearsalRoom room,
        RehearsalMessages messages, CancellationToken cancellationToken)
    {
        if (room.Find(id, user.UserId()) is not var (rehearsal, definitionId))
        {
            return NotFound(id);
        }

        var result = await rehearsal.CompleteAsync(taskId, new ResumeInput(request.Outcome, request.Data), cancellationToken);
        return result.Succeeded
            ? TypedResults.Ok(await ViewAsync(new(id, definitionId, locale, messages), rehearsal, await rehearsal.StateAsync(cancellationToken), cancellationToken))
            : Problem.From(result);
    }

    private static async Task<IResult> DeleteAsync(string id, ClaimsPrincipal user, RehearsalRoom room) =>
        await room.RemoveAsync(id, user.UserId()) ? TypedResults.NoContent() : NotFound(id);

    private static IResult NotFound(string id) => Problem.Of(404, "not-found", "Not found", $"There is no rehearsal '{id}' of yours.");

    private static async Task<RehearsalView> ViewAsync(Viewing viewing, Rehearsal rehearsal, RehearsalState state, CancellationToken cancellationToken) =>
        new(viewing.Id, viewing.DefinitionId, state.Instance.DefinitionVersion, state.Now,
            state.Instance.Status, state.Instance.State.Variables, state.Instance.State.Result,
            [.. state.Waiting.Select(b => new WaitView(b.Id, b.Kind, b.ActivityId, b.Role, b.UserId, b.DueAt, b.Payload))], state.Journal,
            await viewing.Messages.RenderAsync(viewing.Id, rehearsal.WorkflowName, state, viewing.Locale ?? "zh-CN", cancellationToken));
}
