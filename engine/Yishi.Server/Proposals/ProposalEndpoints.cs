using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Runtime;
using Yishi.Server.CaseFiles;
using Yishi.Server.Consultations;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Instances;
using Yishi.Server.Problems;

namespace Yishi.Server.Proposals;

/// <summary>
/// Residents' proposals (居民提议) and co-signing (联名): a resident proposes a topic, which starts the consultation
/// workflow in their own unit with them as the case's <c>proposer</c>; its Cosign step puts the topic before their
/// neighbours, who sign it here. Staff see the proposals of their units; only residents propose and sign.
/// </summary>
internal static class ProposalEndpoints
{
    /// <summary>The case party role of the resident who proposed.</summary>
    public const string ProposerRole = "proposer";

    public sealed record ProposeRequest(string? Topic, string? Description);

    public sealed record Proposed(string InstanceId);

    public sealed record ProposalView(string Id, string InstanceId, string Topic, string? Description, int Threshold, int Signatures, string Status,
        DateTimeOffset OpensAt, DateTimeOffset ClosesAt, DateTimeOffset? DecidedAt, bool SignedByMe, bool Mine);

    public static IEndpointRouteBuilder MapProposalEndpoints(this IEndpointRouteBuilder app)
    {
        // Signed-in people, not API keys: proposing and signing are personal.
        var group = app.MapGroup("/api/proposals").WithTags("Proposals").RequireAuthorization(Policies.SignedIn);
        group.MapPost("/", ProposeAsync).WithName("Propose")
            .WithSummary("A resident proposes a topic {topic, description}: the consultation workflow starts in their org unit with them as its proposer.")
            .Produces<Proposed>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapGet("/", ListAsync).WithName("ListProposals")
            .WithSummary("Proposals of your org unit and the units above it (staff: and below), latest closing first; open=true for those still gathering signatures.")
            .Produces<IReadOnlyList<ProposalView>>();
        group.MapGet("/{id}", GetAsync).WithName("GetProposal")
            .Produces<ProposalView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPost("/{id}/signatures", SignAsync).WithName("SignProposal")
            .WithSummary("Co-signs a proposal, once per resident; the proposer's own does not count. When it reaches its threshold the case goes on. "
                + "409 when it is closed, already signed, or yours.")
            .Produces<ProposalView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> ProposeAsync(ProposeRequest request, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, TimeProvider clock,
        CaseJournal journal, IOptions<ProposalOptions> options, CancellationToken cancellationToken)
    {
        // As for opinions, the policy admits every signed-in person and the handler narrows to residents; a malformed
        // request is answered first, whoever sends it.
        var (topic, problem) = ConsultationEndpoints.Required(request.Topic, "topic", ConsultationActivity.MaxTopicLength);
        if (problem is not null)
        {
            return problem;
        }

        if (!user.TakesPart())
        {
            return Problem.Of(403, "residents-only", "Forbidden", "Residents propose topics; staff start a consultation case directly (POST /api/instances).");
        }

        var description = request.Description?.Trim();
        if (description is { Length: > ConsultationActivity.MaxDescriptionLength })
        {
            return Problem.Of(400, "too-long", $"'description' has at most {ConsultationActivity.MaxDescriptionLength} characters.", $"It has {description.Length}.");
        }

        if (await CommitteePathAsync(user, db, cancellationToken) is not { } path)
        {
            return Problem.Of(400, "bad-request", "You belong to no org unit, so there is no committee to propose to.");
        }

        var input = new JsonObject { ["topic"] = topic, ["description"] = description ?? "", ["proposed_by"] = "resident" };
        // The case belongs to the committee's unit, above the resident's own grid: the resident starts it there by this route only.
        var started = await runtime.StartAsync(new StartRequest(options.Value.Workflow, input, Actor: user.ToActor() with { Scope = path }, Scope: path), cancellationToken);
        if (!started.Succeeded)
        {
            return Problem.From(started);
        }

        await CasePartyEndpoints.LinkAsync(started.InstanceId!, [new CasePartyEndpoints.LinkParty(user.UserId(), ProposerRole)], user, db, clock, journal, cancellationToken);
        return TypedResults.Created($"/api/instances/{started.InstanceId}", new Proposed(started.InstanceId!));
    }

    /// <summary>
    /// The unit whose committee a resident proposes to: the community or village they live in, not their grid (a grid
    /// has no committee, and its topic concerns the neighbours of the whole community). Their own unit when there is none above.
    /// </summary>
    private static async Task<string?> CommitteePathAsync(ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (user.OrgPath() is not { } path)
        {
            return null;
        }

        var chain = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var committees = await db.OrgUnits.AsNoTracking().Where(u => chain.Contains(u.Id) && (u.Kind == "community" || u.Kind == "village"))
            .Select(u => u.Path).ToListAsync(cancellationToken);
        return committees.OrderByDescending(p => p.Length).FirstOrDefault() ?? path;
    }

    private static async Task<IResult> ListAsync(bool? open, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        var rows = db.Proposals.AsNoTracking();
        rows = open switch
        {
            true => rows.Where(p => p.Status == ProposalStatus.Open),
            false => rows.Where(p => p.Status != ProposalStatus.Open),
            null => rows,
        };
        // Few proposals are ever open at once in one place; the scope rule is the consultations' own, checked here.
        var visible = (await rows.OrderByDescending(p => p.ClosesAtMs).Take(1000).ToListAsync(cancellationToken)).Where(p => user.MaySeeScope(p.Scope)).Take(200).ToList();
        return TypedResults.Ok(await ViewsAsync(visible, user, db, cancellationToken));
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken) =>
        await FindVisibleAsync(db, id, user, cancellationToken) is { } proposal
            ? TypedResults.Ok((await ViewsAsync([proposal], user, db, cancellationToken))[0])
            : NotFound(id);

    private static async Task<IResult> SignAsync(string id, ClaimsPrincipal user, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(db, id, user, cancellationToken) is not { } proposal)
        {
            return NotFound(id);
        }

        if (!user.TakesPart())
        {
            return Problem.Of(403, "residents-only", "Forbidden", "Residents co-sign proposals.");
        }

        var now = clock.GetUtcNow();
        if (proposal.Status != ProposalStatus.Open || proposal.ClosesAt <= now)
        {
            return Problem.Of(409, "proposal-closed", "The proposal is closed", proposal.Status == ProposalStatus.Reached
                ? "It already has enough signatures and is with the committee."
                : "Its time for signatures has run out.");
        }

        var userId = user.UserId();
        if (await db.CaseParties.AnyAsync(p => p.InstanceId == proposal.InstanceId && p.UserId == userId && p.Role == ProposerRole, cancellationToken))
        {
            return Problem.Of(409, "own-proposal", "This is your own proposal", "Its proposer does not count among the co-signers; ask your neighbours to sign.");
        }

        if (await db.Cosignatures.AnyAsync(c => c.ProposalId == id && c.ResidentId == userId, cancellationToken))
        {
            return AlreadySigned();
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            db.Cosignatures.Add(new Cosignature { ProposalId = id, ResidentId = userId, SignedAt = now });
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateException)
            {
                // The key keeps it to one each: only a signature already there is an answer, anything else is a real failure.
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                if (!await db.Cosignatures.AsNoTracking().AnyAsync(c => c.ProposalId == id && c.ResidentId == userId, cancellationToken))
                {
                    throw;
                }

                return AlreadySigned();
            }

            // Counted in the database, not here: two signatures at once both count.
            var counted = await db.Proposals.Where(p => p.Id == id && p.Status == ProposalStatus.Open)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Signatures, p => p.Signatures + 1), cancellationToken);
            if (counted == 0)
            {
                await transaction.RollbackAsync(cancellationToken);
                return Problem.Of(409, "proposal-closed", "The proposal is closed", "It closed while you were signing; your signature was not counted.");
            }

            // The signature that reaches the threshold decides it; the keeper moves the case on.
            await db.Proposals.Where(p => p.Id == id && p.Status == ProposalStatus.Open && p.Signatures >= p.Threshold)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Status, ProposalStatus.Reached).SetProperty(p => p.DecidedAt, now), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var signed = await db.Proposals.AsNoTracking().FirstAsync(p => p.Id == id, cancellationToken);
        return TypedResults.Created($"/api/proposals/{id}", (await ViewsAsync([signed], user, db, cancellationToken))[0]);
    }

    private static async Task<Proposal?> FindVisibleAsync(ServerDbContext db, string id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await db.Proposals.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, cancellationToken) is { } proposal && user.MaySeeScope(proposal.Scope) ? proposal : null;

    private static async Task<List<ProposalView>> ViewsAsync(List<Proposal> proposals, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        var userId = user.UserId();
        var ids = proposals.Select(p => p.Id).ToList();
        var instances = proposals.Select(p => p.InstanceId).ToList();
        var signed = await db.Cosignatures.AsNoTracking().Where(c => ids.Contains(c.ProposalId) && c.ResidentId == userId).Select(c => c.ProposalId).ToListAsync(cancellationToken);
        var mine = await db.CaseParties.AsNoTracking().Where(p => instances.Contains(p.InstanceId) && p.UserId == userId && p.Role == ProposerRole)
            .Select(p => p.InstanceId).ToListAsync(cancellationToken);
        return [.. proposals.Select(p => new ProposalView(p.Id, p.InstanceId, p.Topic, p.Description, p.Threshold, p.Signatures, p.Status, p.OpensAt, p.ClosesAt, p.DecidedAt,
            signed.Contains(p.Id), mine.Contains(p.InstanceId)))];
    }

    private static IResult AlreadySigned() => Problem.Of(409, "already-signed", "You have signed this proposal already", "Each resident signs once.");

    private static IResult NotFound(string id) => Problem.Of(404, "not-found", "Not found", $"There is no proposal '{id}'.");
}
