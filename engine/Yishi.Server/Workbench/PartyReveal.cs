using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Instances;
using Yishi.Engine.Runtime;
using Yishi.Server.Audit;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Workbench;

/// <summary>
/// Seeing a party's full name, phone and ID number (PIPL: every list masks them). Only mediators and supervisors of the
/// case's unit (or a unit above it) may, with a reason; each reveal leaves an audit entry saying who, when, which party
/// and why, never the values revealed.
/// </summary>
internal static class PartyReveal
{
    public const string AuditKind = "party.revealed";
    public const int MaxReason = 500;

    /// <summary>The audit subject of a case's reveals.</summary>
    public static string Subject(string instanceId) => "case:" + instanceId;

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapPost("/api/instances/{id}/parties/{partyId}/reveal", RevealAsync).RequireAuthorization(Policies.RevealParties).WithTags("Cases").WithName("RevealParty")
            .WithSummary("A party's full name, phone and ID number, for mediators and supervisors of the case's units, with a reason (audited): "
                         + "200; 400 without a reason; 403 for anyone else, and for a case outside the caller's units; 404 when there is no such case or party.")
            .Produces<RevealedParty>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>Whether the user may reveal the parties of <paramref name="instance"/>: a mediator or supervisor whose units hold the case.</summary>
    public static bool MayReveal(ClaimsPrincipal user, WorkflowInstance instance) =>
        (user.IsInRole(Roles.Mediator) || user.IsInRole(Roles.Supervisor)) && user.ToActor().Reaches(instance.Scope);

    private static async Task<IResult> RevealAsync(string id, string partyId, RevealRequest? request, ClaimsPrincipal user, WorkflowRuntime runtime,
        ServerDbContext db, AuditLog audit, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance)
        {
            return Instances.InstanceEndpoints.NotFound(id);
        }

        // A case of another unit is refused rather than hidden (the workbench issue asks for 403): only mediators and
        // supervisors, who know case ids from their work, get this far.
        if (!MayReveal(user, instance))
        {
            return Problem.Of(403, "forbidden", "Forbidden", "Only mediators and supervisors of the case's units may see a party's full details.");
        }

        var reason = request?.Reason?.Trim();
        if (string.IsNullOrEmpty(reason) || reason.Length > MaxReason)
        {
            return Problem.Of(400, "reason-required", "A reason is required", $"Say why you need the party's full details, in at most {MaxReason} characters.");
        }

        var found = await (from p in db.CaseParties.AsNoTracking()
                           where p.InstanceId == id && p.Id == partyId
                           join u in db.Users on p.UserId equals u.Id into accounts
                           from u in accounts.DefaultIfEmpty()
                           select new { Party = p, AccountName = u == null ? null : u.DisplayName, AccountPhone = u == null ? null : u.PhoneNumber })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return Problem.Of(404, "not-found", "Not found", $"The case has no party '{partyId}'.");
        }

        // Written before answering: a reveal that could not be audited is not answered.
        await audit.AppendAsync(AuditKind, Subject(id), new JsonObject
        {
            ["instanceId"] = id,
            ["partyId"] = partyId,
            ["by"] = user.UserId(),
            ["reason"] = reason,
        }, cancellationToken);
        var party = found.Party;
        return TypedResults.Ok(new RevealedParty(party.Id, party.Role, party.Name ?? found.AccountName ?? "", party.Phone ?? found.AccountPhone, party.IdNumber));
    }
}
