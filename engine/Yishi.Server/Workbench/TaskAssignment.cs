using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Persistence;
using Yishi.Engine.Privacy;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Workbench;

/// <summary>
/// A supervisor gives a task to another member of staff (改派), with a reason that goes into the case's journal: someone
/// off sick, a party asking for another mediator. The receiver must work the case's unit (theirs or a unit above) and
/// hold the task's role.
/// </summary>
internal static class TaskAssignment
{
    public const int MaxReason = 500;

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/api/tasks/{id}/assign", AssignAsync).RequireAuthorization(Policies.Supervise).WithTags("Tasks").WithName("AssignTask")
            .WithSummary("Gives a task to another member of staff of the case's unit with the task's role, with a reason (journalled): 200; 400 without a reason; "
                         + "404; 409 when it was completed first; 422 when that person may not take it.")
            .Produces<Tasks.TaskEndpoints.TaskView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        app.MapGet("/api/tasks/{id}/assignees", AssigneesAsync).RequireAuthorization(Policies.Supervise).WithTags("Tasks").WithName("ListTaskAssignees")
            .WithSummary("Who the task may be given to: staff of the case's unit or above with its role, names masked.")
            .Produces<IReadOnlyList<Assignee>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static async Task<IResult> AssignAsync(string id, AssignRequest request, ClaimsPrincipal user, WorkflowRuntime runtime, IWorkflowStore store,
        ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await OpenTaskAsync(id, user, store, cancellationToken) is not { } task)
        {
            return Problem.Of(404, "not-found", "Not found", $"There is no task '{id}'.");
        }

        var reason = request.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReason)
        {
            return Problem.Of(400, "reason-required", "A reason is required", $"Say why the task goes to someone else, in at most {MaxReason} characters.");
        }

        var candidates = await CandidatesAsync(task, db, cancellationToken);
        if (string.IsNullOrEmpty(request.UserId) || candidates.All(c => c.Id != request.UserId))
        {
            return Problem.Of(422, "not-an-assignee", "That person cannot take this task",
                $"Choose a member of staff of the case's unit{(task.Role is null ? "" : $" with the role '{task.Role}'")}.");
        }

        var result = await runtime.AssignAsync(id, request.UserId, reason, user.ToActor(), cancellationToken);
        return result.Succeeded ? TypedResults.Ok(Tasks.TaskEndpoints.View(result.Bookmarks[0])) : Problem.From(result);
    }

    private static async Task<IResult> AssigneesAsync(string id, ClaimsPrincipal user, IWorkflowStore store, ServerDbContext db, CancellationToken cancellationToken) =>
        await OpenTaskAsync(id, user, store, cancellationToken) is { } task
            ? TypedResults.Ok(await CandidatesAsync(task, db, cancellationToken))
            : Problem.Of(404, "not-found", "Not found", $"There is no task '{id}'.");

    /// <summary>An open human task in the caller's units.</summary>
    private static async Task<Bookmark?> OpenTaskAsync(string id, ClaimsPrincipal user, IWorkflowStore store, CancellationToken cancellationToken) =>
        await store.FindBookmarkAsync(id, cancellationToken) is { Kind: BookmarkKind.HumanTask, ConsumedAt: null } task && user.ToActor().Reaches(task.Scope)
            ? task
            : null;

    /// <summary>Staff whose units hold the task's case and who have its role (any staff role when it names none), names masked.</summary>
    private static async Task<List<Assignee>> CandidatesAsync(Bookmark task, ServerDbContext db, CancellationToken cancellationToken)
    {
        var roles = task.Role is { } role ? [role] : Roles.Staff.ToList();
        var rows = await (from person in db.Users.AsNoTracking()
                          join unit in db.OrgUnits.AsNoTracking() on person.OrgUnitId equals unit.Id
                          join link in db.UserRoles on person.Id equals link.UserId
                          join named in db.Roles on link.RoleId equals named.Id
                          where roles.Contains(named.Name!)
                          select new { person.Id, person.DisplayName, person.OrgUnitId, unit.Path })
            .ToListAsync(cancellationToken);
        return [.. rows.Where(r => Actor.Contains(r.Path, task.Scope)).DistinctBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new Assignee(r.Id, Masking.Name(r.DisplayName), r.OrgUnitId))
            .OrderBy(a => a.DisplayName, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal)];
    }
}
