using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Engine.Privacy;
using Yishi.Server.Problems;

namespace Yishi.Server.Instances;

/// <summary>Linking people to a case as parties, so that residents can follow their own cases.</summary>
internal static class CasePartyEndpoints
{
    private const int MaxParties = 20;

    /// <param name="UserId">The person's user id.</param>
    /// <param name="Role">Their part: lower-case letters and '-', e.g. <c>applicant</c>, <c>respondent</c>.</param>
    public sealed record LinkParty(string UserId, string Role);

    /// <summary>A party as staff see it: the name masked, as in every list.</summary>
    public sealed record PartyView(string UserId, string Role, string DisplayName, DateTimeOffset LinkedAt);

    public static void MapCasePartyEndpoints(this RouteGroupBuilder instances) =>
        instances.MapPost("/{id}/parties", LinkOneAsync).RequireAuthorization(Policies.Staff).WithName("LinkParty")
            .WithSummary("Links a person to the case as a party: 201; 409 when already linked.")
            .Produces<PartyView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);

    /// <summary>The problem with a list of parties, or null when every one names a user and a valid part.</summary>
    public static async Task<IResult?> CheckAsync(IReadOnlyList<LinkParty> parties, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (parties.Count > MaxParties)
        {
            return Problem.Of(400, "bad-request", $"A case has at most {MaxParties} parties.");
        }

        if (parties.FirstOrDefault(p => !IsValidRole(p.Role)) is { } bad)
        {
            return Problem.Of(400, "bad-request", $"'{bad.Role}' is not a party role: use 1 to 32 lower-case letters or '-', e.g. applicant.");
        }

        var ids = parties.Select(p => p.UserId).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count != parties.Count)
        {
            return Problem.Of(400, "bad-request", "A person is linked to a case once.");
        }

        var known = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => u.Id).ToListAsync(cancellationToken);
        return ids.Except(known, StringComparer.Ordinal).FirstOrDefault() is { } unknown ? Problem.Of(400, "bad-request", $"There is no user '{unknown}'.") : null;
    }

    public static async Task LinkAsync(string instanceId, IEnumerable<LinkParty> parties, ClaimsPrincipal user, ServerDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        db.CaseParties.AddRange(parties.Select(p => new CaseParty { InstanceId = instanceId, UserId = p.UserId, Role = p.Role, LinkedAt = now, LinkedBy = user.UserId() }));
        await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task<IReadOnlyList<PartyView>> ListAsync(string instanceId, ServerDbContext db, CancellationToken cancellationToken)
    {
        var rows = await db.CaseParties.AsNoTracking().Where(p => p.InstanceId == instanceId)
            .Join(db.Users, p => p.UserId, u => u.Id, (p, u) => new { p.UserId, p.Role, u.DisplayName, p.LinkedAt })
            .ToListAsync(cancellationToken);
        return [.. rows.OrderBy(r => r.LinkedAt).ThenBy(r => r.UserId, StringComparer.Ordinal).Select(r => new PartyView(r.UserId, r.Role, Masking.Name(r.DisplayName), r.LinkedAt))];
    }

    private static async Task<IResult> LinkOneAsync(string id, LinkParty request, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !user.ToActor().Reaches(instance.Scope))
        {
            return InstanceEndpoints.NotFound(id);
        }

        if (await CheckAsync([request], db, cancellationToken) is { } problem)
        {
            return problem;
        }

        if (await db.CaseParties.AnyAsync(p => p.InstanceId == id && p.UserId == request.UserId, cancellationToken))
        {
            return AlreadyLinked();
        }

        try
        {
            await LinkAsync(id, [request], user, db, clock, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Two staff linking the same person at once: the key lets one in.
            return AlreadyLinked();
        }

        return TypedResults.Created($"/api/instances/{id}", (await ListAsync(id, db, cancellationToken)).First(p => p.UserId == request.UserId));
    }

    private static IResult AlreadyLinked() => Problem.Of(409, "already-linked", "Conflict", "This person is already a party to the case.");

    private static bool IsValidRole(string? role) =>
        role is { Length: > 0 and <= 32 } && role.All(c => c is (>= 'a' and <= 'z') or '-');
}
