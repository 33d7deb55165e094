using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Ballots;
using Yishi.Engine.Privacy;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Ballots;

/// <summary>Ballots for the people who vote in them and the staff who run them.</summary>
internal static class BallotEndpoints
{
    public static IEndpointRouteBuilder MapBallotEndpoints(this IEndpointRouteBuilder app)
    {
        var ballots = app.MapGroup("/api/ballots").WithTags("Ballots").RequireAuthorization(Policies.SignedIn);
        ballots.MapGet("/", ListAsync).WithName("ListBallots")
            .WithSummary("Ballots: with mine=true the open ones I may vote in; otherwise a resident's own ballots, or the ballots of a staff member's units.")
            .Produces<IReadOnlyList<BallotView>>();
        ballots.MapGet("/{id}", GetAsync).WithName("GetBallot")
            .WithSummary("A ballot: the matter, questions and options, the rule in plain words, notice, opening and closing times, and where I stand.")
            .Produces<BallotView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        ballots.MapPost("/{id}/votes", VoteAsync).WithName("CastVote")
            .WithSummary("Casts my vote ({choices}) and answers a receipt code. With allowChange: a secret vote is changed by sending its receipt, an open one by voting again.")
            .Produces<VoteReceipt>(StatusCodes.Status201Created)
            .Produces<VoteReceipt>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        ballots.MapGet("/{id}/result", ResultAsync).WithName("GetBallotResult")
            .WithSummary("The result once closed, with the audit chain's head printed on the notice. While a ballot with hidden results is open, refused to everyone, staff included.")
            .Produces<BallotResultView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        ballots.MapGet("/{id}/receipts/{code}", ReceiptAsync).WithName("CheckBallotReceipt")
            .WithSummary("Whether the ballot with this receipt code was counted (never what it chose).")
            .Produces<ReceiptCheck>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        var staff = app.MapGroup("/api/ballots").WithTags("Ballots").RequireAuthorization(Policies.Staff);
        staff.MapGet("/{id}/electorate", ElectorateAsync).WithName("GetBallotElectorate")
            .WithSummary("The frozen roll, names and phones masked, with whether (never how) each has voted.")
            .Produces<IReadOnlyList<ElectorRow>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapGet("/{id}/turnout", TurnoutAsync).WithName("GetBallotTurnout")
            .WithSummary("Live turnout: how many of the electorate have voted, online and on paper.")
            .Produces<TurnoutView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/{id}/reminders", RemindAsync).WithName("RemindNonVoters")
            .WithSummary("Reminds those on the roll who have not voted yet, on their channels (template ballot/closing-soon).")
            .Produces<RemindersQueued>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        app.MapPaperBallotEndpoints();
        return app;
    }

    /// <summary>The ballot if the caller may see it: staff over its unit, or a resident on its roll.</summary>
    internal static async Task<BallotRecord?> VisibleAsync(ServerDbContext db, ClaimsPrincipal user, string id, CancellationToken cancellationToken)
    {
        var ballot = await db.Ballots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken);
        if (ballot is null)
        {
            return null;
        }

        if (IsStaffOver(user, ballot))
        {
            return ballot;
        }

        var me = user.UserId();
        return await db.BallotVoters.AnyAsync(v => v.BallotId == id && v.UserId == me, cancellationToken) ? ballot : null;
    }

    internal static bool IsStaffOver(ClaimsPrincipal user, BallotRecord ballot) =>
        Roles.Staff.Any(user.IsInRole) && (user.Scope() is not { } scope || ballot.OrgPath.StartsWith(scope, StringComparison.Ordinal));

    private static string Locale(HttpRequest request) =>
        request.Headers.AcceptLanguage.ToString().StartsWith("en", StringComparison.OrdinalIgnoreCase) ? "en" : "zh-CN";

    private static async Task<BallotStanding?> StandingAsync(ServerDbContext db, BallotRecord ballot, string userId, CancellationToken cancellationToken)
    {
        var voter = await db.BallotVoters.AsNoTracking().FirstOrDefaultAsync(v => v.BallotId == ballot.Id && v.UserId == userId, cancellationToken);
        if (voter is null)
        {
            return null;
        }

        var channel = await db.BallotTurnout.Where(t => t.BallotId == ballot.Id && t.CountKey == voter.CountKey).Select(t => t.Channel).FirstOrDefaultAsync(cancellationToken);
        return new BallotStanding(true, voter.Verified, channel);
    }

    private static async Task<IResult> ListAsync(bool? mine, ClaimsPrincipal user, HttpRequest request, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var me = user.UserId();
        List<BallotRecord> found;
        if (mine == true || !Roles.Staff.Any(user.IsInRole))
        {
            var ids = db.BallotVoters.Where(v => v.UserId == me).Select(v => v.BallotId);
            found = await db.Ballots.AsNoTracking().Where(b => ids.Contains(b.Id)).ToListAsync(cancellationToken);
            if (mine == true)
            {
                found = [.. found.Where(b => BallotViews.Status(b, now) == BallotStates.Open)];
            }
        }
        else
        {
            var scope = user.Scope();
            found = await db.Ballots.AsNoTracking().Where(b => scope == null || b.OrgPath.StartsWith(scope)).ToListAsync(cancellationToken);
        }

        var views = new List<BallotView>();
        foreach (var ballot in found.OrderByDescending(b => b.ClosesAt))
        {
            views.Add(BallotView.Of(ballot, now, Locale(request), await StandingAsync(db, ballot, me, cancellationToken)));
        }

        return TypedResults.Ok(views);
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, HttpRequest request, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken) =>
        await VisibleAsync(db, user, id, cancellationToken) is { } ballot
            ? TypedResults.Ok(BallotView.Of(ballot, clock.GetUtcNow(), Locale(request), await StandingAsync(db, ballot, user.UserId(), cancellationToken)))
            : NotFound();

    internal static IResult NotFound() => Problem.Of(404, "ballot-not-found", "No such ballot", "It does not exist, or you are not on its roll and do not run it.");

    private static async Task<IResult> VoteAsync(string id, VoteRequest vote, ClaimsPrincipal user, BallotDirectory directory, VoteWriter writer, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        // From memory, not the database: this is the hot path of a ballot (see BallotDirectory).
        var entry = await directory.BallotAsync(id, cancellationToken);
        var me = user.UserId();
        var voter = entry is null ? null : await directory.VoterAsync(id, me, cancellationToken);
        if (entry is not { Ballot: var ballot } || (voter is null && !IsStaffOver(user, ballot)))
        {
            return NotFound();
        }

        var status = BallotViews.Status(ballot, clock.GetUtcNow());
        if (status != BallotStates.Open)
        {
            return status == BallotStates.Notice
                ? Problem.Of(409, "ballot-not-open", "Voting has not opened yet", $"Voting opens at {ballot.OpensAt:yyyy-MM-dd HH:mm} UTC.")
                : Problem.Of(409, "ballot-closed", "Voting has closed");
        }

        if (voter is null)
        {
            return Problem.Of(403, "not-in-electorate", "You are not on this ballot's roll", "The roll was frozen when notice was given; staff run the ballot but do not vote in it.");
        }

        if (!voter.Verified)
        {
            return Problem.Of(403, "unverified", "Your identity has not been checked",
                "Only residents whose identity staff have checked can vote online. You can vote on paper at the committee's office, or ask staff to check your identity.");
        }

        var (packed, error) = BallotChoices.Pack(vote.Choices, entry.Questions);
        if (packed is null)
        {
            return Problem.Of(422, "invalid-choices", "The choices do not fit the ballot", error);
        }

        if (vote.Receipt is not null)
        {
            return await ChangeAsync(ballot, voter, packed, vote.Receipt, writer, clock, cancellationToken);
        }

        var code = Receipts.NewCode();
        var written = await WriteAsync(writer, new VoteCommand.Cast(id, voter.CountKey, packed, Receipts.Hash(id, code)!, ballot.Secret ? null : voter.CountKey), cancellationToken);
        return written switch
        {
            VoteWritten.Cast => TypedResults.Created($"/api/ballots/{id}/receipts/{code}", new VoteReceipt(code, Changed: false)),
            VoteWritten.AlreadyVoted when ballot is { Secret: false, AllowChange: true } => await ChangeAsync(ballot, voter, packed, null, writer, clock, cancellationToken),
            VoteWritten.AlreadyVoted => await AlreadyVotedAsync(directory, ballot, voter, me, cancellationToken),
            VoteWritten.Closed => Problem.Of(409, "ballot-closed", "Voting has closed"),
            null => Problem.Of(503, "vote-not-written", "Your vote could not be written", "Nothing was recorded; please send it again."),
            _ => Problem.Of(409, "no-slot", "The ballot has no room for another vote", "Every member of the electorate has voted."),
        };
    }

    /// <summary>The writer's answer; null when the database failed (the batch was rolled back, so nothing was kept).</summary>
    private static async Task<VoteWritten?> WriteAsync(VoteWriter writer, VoteCommand command, CancellationToken cancellationToken)
    {
        try
        {
            return await writer.WriteAsync(command, cancellationToken);
        }
        catch (Exception exception) when (exception is System.Data.Common.DbException or InvalidOperationException or DbUpdateException)
        {
            return null;
        }
    }

    private static async Task<IResult> AlreadyVotedAsync(BallotDirectory directory, BallotRecord ballot, BallotDirectory.Voter voter, string userId,
        CancellationToken cancellationToken)
    {
        var channel = await directory.ChannelAsync(ballot.Id, voter.CountKey, cancellationToken);
        var household = voter.CountKey != userId;
        var how = channel == "paper" ? " on paper" : " online";
        var change = ballot.AllowChange && ballot.Secret && channel == "online" ? " To change a secret vote, send it again with your receipt code." : "";
        return Problem.Of(409, "already-voted", $"{(household ? "Your household has" : "You have")} already voted{how}", $"One vote per {(household ? "household" : "person")}.{change}");
    }

    private static async Task<IResult> ChangeAsync(BallotRecord ballot, BallotDirectory.Voter voter, string packed, string? receipt, VoteWriter writer, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (!ballot.AllowChange)
        {
            return Problem.Of(409, "change-not-allowed", "This ballot does not allow changing a vote");
        }

        VoteCommand command;
        if (ballot.Secret)
        {
            if (Receipts.Hash(ballot.Id, receipt) is not { } hash)
            {
                return Problem.Of(400, "bad-receipt", "That is not a receipt code", "A receipt code has 12 letters and digits, e.g. 7KQ2-M9XD-4TRW.");
            }

            command = new VoteCommand.ChangeByReceipt(ballot.Id, packed, hash);
        }
        else
        {
            command = new VoteCommand.ChangeByVoter(ballot.Id, voter.CountKey, packed, clock.GetUtcNow());
        }

        return await WriteAsync(writer, command, cancellationToken) switch
        {
            VoteWritten.Changed => TypedResults.Ok(new VoteReceipt(ballot.Secret ? Receipts.Display(receipt) : null, Changed: true)),
            VoteWritten.ReceiptUnknown => Problem.Of(403, "receipt-unknown", "No counted vote has that receipt code", "Check the code; only the receipt of your own vote changes it."),
            VoteWritten.NotVoted => Problem.Of(409, "not-voted", "There is no vote of yours to change yet"),
            VoteWritten.Closed => Problem.Of(409, "ballot-closed", "Voting has closed"),
            null => Problem.Of(503, "vote-not-written", "Your vote could not be written", "Nothing was changed; please send it again."),
            _ => Problem.Of(409, "not-changed", "The vote was not changed"),
        };
    }

    private static async Task<IResult> ResultAsync(string id, ClaimsPrincipal user, ServerDbContext db, BallotCounter counter, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await VisibleAsync(db, user, id, cancellationToken) is not { } ballot)
        {
            return NotFound();
        }

        var now = clock.GetUtcNow();
        if (ballot.Status == BallotStates.Closed)
        {
            return TypedResults.Ok(new BallotResultView(id, BallotStates.Closed, false, JsonNode.Parse(ballot.Result!), ballot.AuditHead, ballot.ClosedAt));
        }

        if (ballot.ResultsHidden)
        {
            // Nobody sees a count before the close, staff included: a running count sways those who have not voted yet.
            return BallotViews.Status(ballot, now) == BallotStates.Closed
                ? Problem.Of(409, "counting", "The ballot is being counted", "Ask again in a few seconds.")
                : Problem.Of(409, "results-hidden", "Results are hidden until the ballot closes", $"It closes at {ballot.ClosesAt:yyyy-MM-dd HH:mm} UTC.");
        }

        var live = await counter.CountAsync(db, ballot, now, cancellationToken);
        return TypedResults.Ok(new BallotResultView(id, BallotViews.Status(ballot, now), true, live.ToJson(), null, null));
    }

    private static async Task<IResult> ReceiptAsync(string id, string code, ClaimsPrincipal user, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await VisibleAsync(db, user, id, cancellationToken) is not { } ballot)
        {
            return NotFound();
        }

        if (Receipts.Hash(id, code) is not { } hash)
        {
            return Problem.Of(400, "bad-receipt", "That is not a receipt code", "A receipt code has 12 letters and digits, e.g. 7KQ2-M9XD-4TRW.");
        }

        return await db.BallotSlots.AnyAsync(s => s.BallotId == id && s.ReceiptHash == hash && s.Choices != null, cancellationToken)
            ? TypedResults.Ok(new ReceiptCheck(id, true, BallotViews.Status(ballot, clock.GetUtcNow())))
            : Problem.Of(404, "receipt-unknown", "No counted vote has that receipt code");
    }

    private static async Task<IResult> ElectorateAsync(string id, int? offset, int? limit, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await db.Ballots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } ballot || !IsStaffOver(user, ballot))
        {
            return NotFound();
        }

        var rows = await (from v in db.BallotVoters
                          join u in db.Users on v.UserId equals u.Id
                          join t in db.BallotTurnout on new { v.BallotId, v.CountKey } equals new { t.BallotId, t.CountKey }
                          where v.BallotId == id
                          orderby v.UserId
                          select new { v.UserId, u.DisplayName, u.PhoneNumber, u.HouseholdId, v.Verified, t.Channel })
            .Skip(Math.Max(0, offset ?? 0)).Take(Math.Clamp(limit ?? 200, 1, 1000)).AsNoTracking().ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Select(r => new ElectorRow(r.UserId, Masking.Name(r.DisplayName) ?? "", Masking.Phone(r.PhoneNumber), r.HouseholdId, r.Verified, r.Channel)).ToList());
    }

    private static async Task<IResult> TurnoutAsync(string id, ClaimsPrincipal user, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.Ballots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } ballot || !IsStaffOver(user, ballot))
        {
            return NotFound();
        }

        return TypedResults.Ok(await TurnoutView.ReadAsync(db, ballot, BallotViews.Status(ballot, clock.GetUtcNow()), cancellationToken));
    }

    private static async Task<IResult> RemindAsync(string id, ClaimsPrincipal user, ServerDbContext db, BallotReminders reminders, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.Ballots.AsNoTracking().FirstOrDefaultAsync(b => b.Id == id, cancellationToken) is not { } ballot || !IsStaffOver(user, ballot))
        {
            return NotFound();
        }

        if (BallotViews.Status(ballot, clock.GetUtcNow()) == BallotStates.Closed)
        {
            return Problem.Of(409, "ballot-closed", "Voting has closed");
        }

        var waiting = ballot.Electorate - await BallotLifecycle.TurnoutAsync(db, id, cancellationToken);
        await reminders.QueueAsync(ballot, user.UserId(), cancellationToken);
        return TypedResults.Accepted((string?)null, new RemindersQueued(id, waiting, BallotReminders.Template));
    }
}
