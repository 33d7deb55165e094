using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Instances;
using Yishi.Server.OrgUnits;
using Yishi.Server.Problems;

namespace Yishi.Server.Transfers;

/// <summary>Handing a case to another org unit (转办).</summary>
internal static class TransferEndpoints
{
    public sealed record TransferRequest(string OrgUnitId, string Reason);

    public sealed record TransferView(string Id, string InstanceId, string FromOrgUnitId, string ToOrgUnitId, string Reason, string By, DateTimeOffset At);

    public const int MaxReason = 500;

    public static IEndpointRouteBuilder MapTransferEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/instances").WithTags("Cases").RequireAuthorization(Policies.Staff);
        cases.MapPost("/{id}/transfer", TransferAsync).WithName("TransferCase")
            .WithSummary("Hands the case to another org unit with a reason (转办): its open tasks go to that unit's staff, the sending unit keeps read access, and both see it in the journal.")
            .Produces<TransferView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        cases.MapGet("/{id}/transfers", ListAsync).WithName("ListCaseTransfers")
            .WithSummary("The case's transfers, oldest first.")
            .Produces<IReadOnlyList<TransferView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<IResult> TransferAsync(string id, TransferRequest request, ClaimsPrincipal user, WorkflowRuntime runtime, OrgUnitDirectory directory,
        ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        // Only those who work the case now may hand it on; a unit that handed it earlier only reads it.
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !user.ToActor().Reaches(instance.Scope))
        {
            return InstanceEndpoints.NotFound(id);
        }

        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Length > MaxReason)
        {
            return Problem.Of(400, "bad-request", "A reason is required", $"Say why the case is handed on, in at most {MaxReason} characters.");
        }

        if (await directory.PathOfAsync(request.OrgUnitId ?? "", cancellationToken) is not { } toPath)
        {
            return Problem.Of(422, "unknown-org-unit", "No such org unit", $"'{request.OrgUnitId}' is not an org unit.");
        }

        var fromPath = instance.Scope ?? "/";
        var result = await runtime.TransferAsync(id, toPath, request.Reason.Trim(), user.ToActor(), cancellationToken);
        if (!result.Succeeded)
        {
            return Problem.From(result);
        }

        var transfer = new CaseTransfer
        {
            Id = Guid.CreateVersion7().ToString("N"),
            InstanceId = id,
            FromOrgUnitId = OrgUnitDirectory.IdOf(fromPath) ?? "",
            FromPath = fromPath,
            ToOrgUnitId = request.OrgUnitId!,
            ToPath = toPath,
            Reason = request.Reason.Trim(),
            By = user.UserId(),
            At = clock.GetUtcNow(),
        };
        db.CaseTransfers.Add(transfer);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(View(transfer));
    }

    private static TransferView View(CaseTransfer t) => new(t.Id, t.InstanceId, t.FromOrgUnitId, t.ToOrgUnitId, t.Reason, t.By, t.At);

    private static async Task<IResult> ListAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return InstanceEndpoints.NotFound(id);
        }

        var transfers = await db.CaseTransfers.AsNoTracking().Where(t => t.InstanceId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(transfers.OrderBy(t => t.At).Select(View).ToList());
    }
}
