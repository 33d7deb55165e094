using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Ballots;
using Yishi.Server.Audit;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Ballots;

/// <summary>
/// Paper ballots, for residents who vote at the office or at the meeting. Two separate records keep them as secret as
/// the online ones: an officer marks who voted on paper (which bars them from voting online, and the other way round),
/// and enters the ballot papers from the box as a batch of choices with no names; a second officer confirms the batch
/// and only then does it count.
/// </summary>
internal static class PaperBallotEndpoints
{
    public static IEndpointRouteBuilder MapPaperBallotEndpoints(this IEndpointRouteBuilder app)
    {
        var paper = app.MapGroup("/api/ballots/{id}/paper").WithTags("Ballots").RequireAuthorization(Policies.Officiate);
        paper.MapPost("/voters", MarkVoterAsync).WithName("MarkPaperVoter")
            .WithSummary("Records that a resident on the roll voted on paper; they can then no longer vote online. Identity checks are done at the desk, so unverified residents may.")
            .Produces<TurnoutView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        paper.MapPost("/batches", EnterBatchAsync).WithName("EnterPaperBallots")
            .WithSummary("Enters a batch of paper ballots ({ballots: [choices…]}); they count once a second officer confirms them.")
            .Produces<PaperBatchView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        paper.MapGet("/batches", ListBatchesAsync).WithName("ListPaperBallots")
            .WithSummary("The batches of paper ballots; a pending batch shows its ballots so the second officer can compare them with the papers.")
            .Produces<IReadOnlyList<PaperBatchView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        paper.MapPost("/batches/{batchId}/confirm", ConfirmAsync).WithName("ConfirmPaperBallots")
            .WithSummary("A second officer (not the one who entered it) confirms a batch: its ballots count. Refused if paper ballots would outnumber the residents marked as voting on paper.")
            .Produces<PaperBatchView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        paper.MapPost("/batches/{batchId}/reject", RejectAsync).WithName("RejectPaperBallots")
            .WithSummary("A second officer rejects a batch that does not match the papers; it is entered again.")
            .Produces<PaperBatchView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<BallotRecord?> RunningAsync(ServerDbContext db, ClaimsPrincipal user, string id, CancellationToken cancellationToken) =>
        await db.Ballots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) is { } ballot && BallotEndpoints.IsStaffOver(user, ballot) ? ballot : null;

    private static IResult NotOpen(BallotRecord ballot, DateTimeOffset now) => BallotViews.Status(ballot, now) == BallotStates.Notice
        ? Problem.Of(409, "ballot-not-open", "Voting has not opened yet")
        : Problem.Of(409, "ballot-closed", "Voting has closed", "Paper ballots count only if confirmed before the closing time.");

    private static async Task<IResult> MarkVoterAsync(string id, PaperVoterRequest request, ClaimsPrincipal user, ServerDbContext db, VoteWriter writer, AuditLog audit,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await RunningAsync(db, user, id, cancellationToken) is not { } ballot)
        {
            return BallotEndpoints.NotFound();
        }

        var now = clock.GetUtcNow();
        if (BallotViews.Status(ballot, now) != BallotStates.Open)
        {
            return NotOpen(ballot, now);
        }

        var voter = await db.BallotVoters.AsNoTracking().FirstOrDefaultAsync(v => v.BallotId == id && v.UserId == request.UserId, cancellationToken);
        if (voter is null)
        {
            return Problem.Of(422, "not-in-electorate", "That resident is not on this ballot's roll", "The roll was frozen when notice was given.");
        }

        var written = await writer.WriteAsync(new VoteCommand.MarkPaper(id, voter.CountKey), cancellationToken);
        if (written != VoteWritten.PaperMarked)
        {
            return written == VoteWritten.Closed
                ? Problem.Of(409, "ballot-closed", "Voting has closed")
                : Problem.Of(409, "already-voted", voter.CountKey == voter.UserId ? "That resident has already voted" : "That resident's household has already voted",
                    "One vote each: online or on paper, not both.");
        }

        var turnout = await TurnoutView.ReadAsync(db, ballot, BallotStates.Open, cancellationToken);
        await audit.AppendAsync("ballot.paper_voter", BallotLifecycle.Subject(ballot), new JsonObject { ["officer"] = user.UserId(), ["paperVoters"] = turnout.Paper }, cancellationToken);
        return TypedResults.Ok(turnout);
    }

    private static async Task<IResult> EnterBatchAsync(string id, PaperBatchRequest request, ClaimsPrincipal user, ServerDbContext db, AuditLog audit, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await RunningAsync(db, user, id, cancellationToken) is not { } ballot)
        {
            return BallotEndpoints.NotFound();
        }

        var now = clock.GetUtcNow();
        if (BallotViews.Status(ballot, now) != BallotStates.Open)
        {
            return NotOpen(ballot, now);
        }

        if (request.Ballots is not { Count: > 0 and <= 5000 })
        {
            return Problem.Of(422, "invalid-choices", "A batch holds from 1 to 5,000 paper ballots");
        }

        var questions = BallotCounter.Questions(ballot);
        var packed = new List<string>();
        var errors = new List<string>();
        for (var i = 0; i < request.Ballots.Count; i++)
        {
            var (choices, error) = BallotChoices.Pack(request.Ballots[i], questions);
            if (choices is null)
            {
                errors.Add($"Ballot {i + 1}: {error}");
            }
            else
            {
                packed.Add(choices);
            }
        }

        if (errors.Count > 0)
        {
            return Problem.Of(422, "invalid-choices", "Some paper ballots do not fit the ballot; nothing was entered", string.Join(" ", errors.Take(20)));
        }

        var batch = new PaperBatchRecord
        {
            Id = ElectorateFreezer.RandomId()[..20],
            BallotId = id,
            // Sorted, so the batch does not keep the order the papers came out of the box in.
            Ballots = JsonSerializer.Serialize(packed.Order(StringComparer.Ordinal).ToList()),
            Count = packed.Count,
            EnteredBy = user.UserId(),
            EnteredAt = now,
            Status = PaperBatch.Pending,
        };
        db.PaperBatches.Add(batch);
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync("ballot.paper_entered", BallotLifecycle.Subject(ballot), new JsonObject { ["batch"] = batch.Id, ["count"] = batch.Count, ["officer"] = batch.EnteredBy },
            cancellationToken);
        return TypedResults.Created($"/api/ballots/{id}/paper/batches", View(batch));
    }

    private static PaperBatchView View(PaperBatchRecord batch) => new(batch.Id, batch.BallotId, batch.Count, batch.EnteredBy, batch.EnteredAt, batch.Status, batch.ConfirmedBy,
        batch.Status == PaperBatch.Pending ? JsonSerializer.Deserialize<List<string>>(batch.Ballots) : null);

    private static async Task<IResult> ListBatchesAsync(string id, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await RunningAsync(db, user, id, cancellationToken) is null)
        {
            return BallotEndpoints.NotFound();
        }

        var batches = await db.PaperBatches.AsNoTracking().Where(b => b.BallotId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(batches.OrderBy(b => b.EnteredAt).Select(View).ToList());
    }

    private static async Task<IResult> ConfirmAsync(string id, string batchId, ClaimsPrincipal user, ServerDbContext db, VoteWriter writer, AuditLog audit, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await RunningAsync(db, user, id, cancellationToken) is not { } ballot)
        {
            return BallotEndpoints.NotFound();
        }

        var batch = await db.PaperBatches.AsNoTracking().FirstOrDefaultAsync(b => b.Id == batchId && b.BallotId == id, cancellationToken);
        if (batch is null)
        {
            return Problem.Of(404, "batch-not-found", "No such batch of paper ballots");
        }

        if (batch.EnteredBy == user.UserId())
        {
            return Problem.Of(409, "same-officer", "A second officer must confirm", "The officer who entered a batch cannot confirm it.");
        }

        var now = clock.GetUtcNow();
        if (BallotViews.Status(ballot, now) != BallotStates.Open)
        {
            return NotOpen(ballot, now);
        }

        var written = await writer.WriteAsync(new VoteCommand.ConfirmPaper(id, batchId, user.UserId(), now), cancellationToken);
        switch (written)
        {
            case VoteWritten.PaperConfirmed:
                await audit.AppendAsync("ballot.paper_confirmed", BallotLifecycle.Subject(ballot),
                    new JsonObject { ["batch"] = batchId, ["count"] = batch.Count, ["officer"] = user.UserId() }, cancellationToken);
                var confirmed = await db.PaperBatches.AsNoTracking().FirstAsync(b => b.Id == batchId, cancellationToken);
                return TypedResults.Ok(View(confirmed));
            case VoteWritten.PaperTooMany:
                return Problem.Of(409, "too-many-paper-ballots", "More paper ballots than residents who voted on paper",
                    "Mark each resident who votes on paper first; the ballots confirmed cannot outnumber them.");
            case VoteWritten.Closed:
                return Problem.Of(409, "ballot-closed", "Voting has closed");
            default:
                return Problem.Of(409, "batch-not-pending", "The batch was already confirmed or rejected");
        }
    }

    private static async Task<IResult> RejectAsync(string id, string batchId, ClaimsPrincipal user, ServerDbContext db, AuditLog audit, CancellationToken cancellationToken)
    {
        if (await RunningAsync(db, user, id, cancellationToken) is not { } ballot)
        {
            return BallotEndpoints.NotFound();
        }

        var batch = await db.PaperBatches.FirstOrDefaultAsync(b => b.Id == batchId && b.BallotId == id, cancellationToken);
        if (batch is null)
        {
            return Problem.Of(404, "batch-not-found", "No such batch of paper ballots");
        }

        if (batch.Status != PaperBatch.Pending)
        {
            return Problem.Of(409, "batch-not-pending", "The batch was already confirmed or rejected");
        }

        if (batch.EnteredBy == user.UserId())
        {
            return Problem.Of(409, "same-officer", "A second officer must decide", "The officer who entered a batch cannot confirm or reject it.");
        }

        batch.Status = PaperBatch.Rejected;
        batch.ConfirmedBy = user.UserId();
        batch.Ballots = "[]";
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync("ballot.paper_rejected", BallotLifecycle.Subject(ballot), new JsonObject { ["batch"] = batchId, ["officer"] = user.UserId() }, cancellationToken);
        return TypedResults.Ok(View(batch));
    }
}
