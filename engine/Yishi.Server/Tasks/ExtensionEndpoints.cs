using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Time;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Inbox;
using Yishi.Server.Problems;

namespace Yishi.Server.Tasks;

/// <summary>
/// Extending a task's deadline: the assignee asks with a reason; where the workflow asks for approval a
/// supervisor of the case's unit (or above) decides. Every request is kept, with its reason and outcome.
/// </summary>
internal static class ExtensionEndpoints
{
    /// <param name="By">How much later: <c>"P3D"</c> or <c>{"workingDays": 2}</c>.</param>
    /// <param name="Reason">Why (kept with the request, shown to the supervisor).</param>
    public sealed record RequestExtension(JsonElement By, string Reason);

    /// <param name="Reason">Why not (for a rejection).</param>
    public sealed record Decision(string? Reason);

    public sealed record ExtensionView(string Id, string TaskId, string InstanceId, string By, string Reason, string Status, DateTimeOffset CreatedAt,
        DateTimeOffset? DecidedAt, DateTimeOffset? DueAt);

    public static IEndpointRouteBuilder MapExtensionEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/tasks/{id}/extension", RequestAsync).RequireAuthorization(Policies.SignedIn).WithTags("Tasks").WithName("RequestExtension")
            .WithSummary("Asks for a later deadline: 200 with the new deadline when the workflow allows it directly; 202 when a supervisor must approve.")
            .Produces<ExtensionView>()
            .Produces<ExtensionView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        var decisions = app.MapGroup("/api/extensions").RequireAuthorization(Policies.Supervise).WithTags("Tasks");
        decisions.MapGet("/", ListAsync).WithName("ListExtensions")
            .WithSummary("Extension requests of your units' cases, pending ones by default (status=all for every one).")
            .Produces<IReadOnlyList<ExtensionView>>();
        decisions.MapPost("/{id}/approve", ApproveAsync).WithName("ApproveExtension")
            .Produces<ExtensionView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        decisions.MapPost("/{id}/reject", RejectAsync).WithName("RejectExtension")
            .Produces<ExtensionView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> RequestAsync(string id, RequestExtension request, ClaimsPrincipal user, WorkflowRuntime runtime, IWorkflowStore store,
        ServerDbContext db, Notices notices, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (WorkDuration.TryParse(request.By, out var error) is not { } by)
        {
            return Problem.Of(400, "bad-request", "Bad duration", error);
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > 500)
        {
            return Problem.Of(400, "bad-request", "A reason is needed", "Say why the deadline should move (up to 500 characters).");
        }

        var actor = user.ToActor();
        var task = await store.FindBookmarkAsync(id, cancellationToken);
        var policy = await runtime.ExtensionPolicyAsync(id, cancellationToken);
        if (task is null || policy is null || !(task.UserId == actor.Id || (actor.Reaches(task.Scope) && (task.Role is null || actor.Roles.Contains(task.Role)))))
        {
            return Problem.Of(404, "not-found", "Not found", $"There is no open task '{id}' with a deadline for you.");
        }

        var row = new DeadlineExtension
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()).ToString("N"),
            TaskId = id,
            InstanceId = task.InstanceId,
            Scope = task.Scope ?? "",
            RequestedBy = actor.Id,
            By = request.By.GetRawText(),
            Reason = request.Reason.Trim(),
            Status = "pending",
            CreatedAt = clock.GetUtcNow(),
        };
        if (policy == "approval")
        {
            db.DeadlineExtensions.Add(row);
            await db.SaveChangesAsync(cancellationToken);
            await notices.SendToRoleOverPathAsync(Roles.Supervisor, row.Scope, Asked(row), cancellationToken);
            return TypedResults.Accepted($"/api/extensions/{row.Id}", View(row, task.DueAt));
        }

        var result = await runtime.ExtendDeadlineAsync(id, by, actor, cancellationToken);
        if (!result.Succeeded)
        {
            return Problem.From(result);
        }

        row.Status = "applied";
        db.DeadlineExtensions.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(row, result.Bookmarks[0].DueAt));
    }

    private static async Task<IResult> ListAsync(string? status, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        var actor = user.ToActor();
        var rows = db.DeadlineExtensions.AsNoTracking();
        if (status != "all")
        {
            var wanted = status ?? "pending";
            rows = rows.Where(r => r.Status == wanted);
        }

        // Ids are version 7, ordered by time on every provider (SQLite cannot order DateTimeOffset).
        var list = await rows.OrderBy(r => r.Id).Take(500).ToListAsync(cancellationToken);
        return TypedResults.Ok(list.Where(r => actor.Reaches(r.Scope)).Select(r => View(r, null)).ToList());
    }

    private static Task<IResult> ApproveAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, Notices notices, TimeProvider clock,
        CancellationToken cancellationToken) => DecideAsync(id, approve: true, null, user, runtime, db, notices, clock, cancellationToken);

    private static Task<IResult> RejectAsync(string id, Decision? decision, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, Notices notices,
        TimeProvider clock, CancellationToken cancellationToken) => DecideAsync(id, approve: false, decision?.Reason, user, runtime, db, notices, clock, cancellationToken);

    private static async Task<IResult> DecideAsync(string id, bool approve, string? reason, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db,
        Notices notices, TimeProvider clock, CancellationToken cancellationToken)
    {
        var row = await db.DeadlineExtensions.FirstOrDefaultAsync(r => r.Id == id, cancellationToken);
        if (row is null || !user.ToActor().Reaches(row.Scope))
        {
            return Problem.Of(404, "not-found", "Not found", $"There is no extension request '{id}' of your units.");
        }

        if (row.Status != "pending")
        {
            return Problem.Of(409, "already-decided", "Conflict", $"This request was {row.Status} already.");
        }

        DateTimeOffset? due = null;
        if (approve)
        {
            // The system extends it: the approval is the supervisor's, the task need not be theirs.
            var by = WorkDuration.TryParse(JsonDocument.Parse(row.By).RootElement, out _)!;
            var result = await runtime.ExtendDeadlineAsync(row.TaskId, by, Engine.Execution.Actor.System, cancellationToken);
            if (!result.Succeeded)
            {
                return Problem.From(result);
            }

            due = result.Bookmarks[0].DueAt;
        }

        row.Status = approve ? "approved" : "rejected";
        row.DecidedBy = user.UserId();
        row.DecidedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await notices.SendToUserAsync(row.RequestedBy, Decided(row, reason), cancellationToken);
        return TypedResults.Ok(View(row, due));
    }

    private static ExtensionView View(DeadlineExtension row, DateTimeOffset? dueAt) =>
        new(row.Id, row.TaskId, row.InstanceId, row.By, row.Reason, row.Status, row.CreatedAt, row.DecidedAt, dueAt);

    private static Notice Asked(DeadlineExtension row) => new("extension-requested", "extension-requested:" + row.Id,
        "有延期申请待审批", "An extension request awaits your decision",
        $"申请延期 {row.By}，理由：{row.Reason}", $"Asked for {row.By} more; reason: {row.Reason}",
        $"/api/extensions/{row.Id}");

    private static Notice Decided(DeadlineExtension row, string? reason) => row.Status == "approved"
        ? new("extension-decided", "extension-decided:" + row.Id, "延期申请已批准", "Your extension was approved",
            "办理期限已顺延。", "The deadline was moved.", $"/api/tasks/{row.TaskId}")
        : new("extension-decided", "extension-decided:" + row.Id, "延期申请未获批准", "Your extension was not approved",
            reason is { Length: > 0 } ? $"理由：{reason}" : "期限不变。", reason is { Length: > 0 } ? $"Reason: {reason}" : "The deadline stays.", $"/api/tasks/{row.TaskId}");
}
