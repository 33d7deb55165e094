using System.Security.Claims;
using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Server.Hosting;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Tasks;

/// <summary>The task inbox: open human tasks for the user or their roles, and completing them.</summary>
internal static class TaskEndpoints
{
    public sealed record TaskView(string Id, string InstanceId, string DefinitionId, string ActivityId, string? Role, string? UserId, DateTimeOffset CreatedAt,
        DateTimeOffset? DueAt, JsonObject? Details);

    public sealed record CompleteTask(string? Outcome, JsonObject? Data);

    public static TaskView View(Bookmark b) => new(b.Id, b.InstanceId, b.DefinitionId, b.ActivityId, b.Role, b.UserId, b.CreatedAt, b.DueAt, b.Payload);

    /// <summary>What completing a task answers: the instance's status after the step, and the tasks it opened.</summary>
    public sealed record TaskCompleted(string InstanceId, InstanceStatus Status, IReadOnlyList<TaskView> Tasks);

    public static IEndpointRouteBuilder MapTaskEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/tasks").WithTags("Tasks").RequireAuthorization(Policies.SignedIn);
        group.MapGet("/", ListAsync).WithName("ListTasks")
            .WithSummary("Open tasks: with mine=true those for you or your roles; staff may list all. instanceId keeps one case's.")
            .Produces<IReadOnlyList<TaskView>>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapGet("/{id}", GetAsync).WithName("GetTask")
            .Produces<TaskView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);
        group.MapPost("/{id}/claim", ClaimAsync).WithName("ClaimTask")
            .WithSummary("Takes a task from your role's shared inbox: 200; 409 when someone else took it first.")
            .Produces<TaskView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        group.MapPost("/{id}/complete", CompleteAsync).AddEndpointFilter<Idempotency.IdempotencyFilter>().WithName("CompleteTask")
            .WithSummary("Completes a task: 200; 409 when someone completed it first; 422 with field errors. Honours Idempotency-Key.")
            .WithRequestHeader(Idempotency.IdempotencyFilter.Header, "A key of your choosing: a repeat with the same key answers the first result again.", required: false)
            .Produces<TaskCompleted>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        return app;
    }

    private static async Task<IResult> ListAsync(bool? mine, int? limit, string? instanceId, ClaimsPrincipal user, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var actor = user.ToActor();
        var everything = mine != true && Roles.Staff.Any(user.IsInRole);
        // Staff see their units' tasks; tasks assigned to a person are theirs wherever the case is.
        var query = everything
            ? new BookmarkQuery { Kind = BookmarkKind.HumanTask, ScopePrefix = actor.Scope, InstanceId = instanceId, Limit = Math.Clamp(limit ?? 100, 1, 500) }
            : new BookmarkQuery
            {
                Kind = BookmarkKind.HumanTask, UserId = actor.Id, Roles = actor.Roles, ScopePrefix = actor.Scope, InstanceId = instanceId, Limit = Math.Clamp(limit ?? 100, 1, 500),
            };
        var tasks = await runtime.QueryBookmarksAsync(query, cancellationToken);
        return TypedResults.Ok(tasks.Select(View).ToList());
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, IWorkflowStore store, CancellationToken cancellationToken)
    {
        var task = await store.FindBookmarkAsync(id, cancellationToken);
        if (task is null || task.Kind != BookmarkKind.HumanTask || !MaySee(user, task))
        {
            return Problem.Of(404, "not-found", $"There is no task '{id}'.");
        }

        return task.ConsumedAt is null ? TypedResults.Ok(View(task)) : Problem.Of(410, "already-completed", "This task was already completed.");
    }

    private static async Task<IResult> ClaimAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        var result = await runtime.ClaimAsync(id, user.ToActor(), cancellationToken);
        return result.Succeeded ? TypedResults.Ok(View(result.Bookmarks[0])) : Problem.From(result);
    }

    private static async Task<IResult> CompleteAsync(string id, CompleteTask request, ClaimsPrincipal user, WorkflowRuntime runtime, Data.ServerDbContext db,
        CancellationToken cancellationToken)
    {
        var result = await runtime.ResumeAsync(new ResumeRequest(id, new ResumeInput(request.Outcome, request.Data), user.ToActor()), cancellationToken);
        return result.Succeeded
            ? TypedResults.Ok(new TaskCompleted(result.InstanceId!, result.InstanceStatus!.Value, [.. result.Bookmarks.Where(b => b.Kind == BookmarkKind.HumanTask).Select(View)]))
            : await Workbench.CompletedFirst.ProblemAsync(id, result, runtime, db, cancellationToken) ?? Problem.From(result);
    }

    private static bool MaySee(ClaimsPrincipal user, Bookmark task) =>
        task.UserId == user.UserId() || (user.ToActor().Reaches(task.Scope) && (Roles.Staff.Any(user.IsInRole) || (task.Role is { } role && user.IsInRole(role))));
}
