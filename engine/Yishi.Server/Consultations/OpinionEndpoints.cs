using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Engine.Privacy;
using Yishi.Server.Audit;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Notifications;
using Yishi.Server.Problems;

namespace Yishi.Server.Consultations;

/// <summary>
/// Opinions: residents give one each (and may change it while the consultation is open), read the published ones
/// and report abusive ones; staff review what is held or reported, and hide or restore with a reason. Everything
/// that matters goes to the audit chain without the text or the author.
/// </summary>
internal static class OpinionEndpoints
{
    public const int MaxPageSize = 500;

    public static void Map(RouteGroupBuilder people, RouteGroupBuilder staff)
    {
        people.MapPost("/{id}/opinions", PostAsync).WithName("PostOpinion")
            .WithSummary("Gives or changes your opinion {stance: support|oppose|neutral, text}: 201 new, 200 changed, 202 held for staff review "
                + "(it contains a sensitive word, or it was under review). 409 once the consultation is closed.")
            .Produces<OpinionView>(StatusCodes.Status200OK)
            .Produces<OpinionView>(StatusCodes.Status201Created)
            .Produces<OpinionView>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        people.MapGet("/{id}/opinions", ListAsync).WithName("ListOpinions")
            .WithSummary("The published opinions, oldest first (after an opinion id to page on), authors' names masked; and how many residents took each stance.")
            .Produces<OpinionList>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
        people.MapPost("/opinions/{opinionId}/reports", ReportAsync).WithName("ReportOpinion")
            .WithSummary("Reports a published opinion {reason}, once per resident: when enough residents have, it is hidden until staff review it.")
            .Produces<OpinionReported>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapGet("/review", ReviewAsync).WithName("ListOpinionsForReview")
            .WithSummary("Opinions waiting for a staff decision in your org units: held for a sensitive word or an edit under review, or hidden after reports.")
            .Produces<IReadOnlyList<OpinionForReview>>();
        staff.MapPost("/opinions/{opinionId}/hide", HideAsync).WithName("HideOpinion")
            .WithSummary("Hides an opinion {reason}; the reason is audited and shown to its author.")
            .Produces<OpinionView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/opinions/{opinionId}/restore", RestoreAsync).WithName("RestoreOpinion")
            .WithSummary("Publishes a held, reported or hidden opinion {reason}; reports so far count as reviewed.")
            .Produces<OpinionView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> PostAsync(string id, OpinionRequest request, ClaimsPrincipal user, ServerDbContext db, AuditLog audit, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await ConsultationEndpoints.FindVisibleAsync(db, id, user, cancellationToken) is not { } consultation)
        {
            return ConsultationEndpoints.NotFound(id);
        }

        if (!user.TakesPart())
        {
            return ConsultationEndpoints.ResidentsOnly();
        }

        if (consultation.Kind != ConsultationActivity.Opinions)
        {
            return ConsultationEndpoints.WrongKind(consultation);
        }

        var now = clock.GetUtcNow();
        if (!consultation.IsOpenAt(now))
        {
            return ConsultationEndpoints.Closed();
        }

        var stance = request.Stance?.Trim().ToLowerInvariant();
        if (stance is null || !Stances.All.Contains(stance))
        {
            return Problem.Of(400, "bad-stance", "The stance is support, oppose or neutral.");
        }

        var (text, problem) = ConsultationEndpoints.Required(request.Text, "text", ConsultationLimits.MaxOpinionLength);
        if (problem is not null)
        {
            return problem;
        }

        var userId = user.UserId();
        var sensitive = SensitiveWords.Contain(text!, JsonSerializer.Deserialize<string[]>(consultation.SensitiveWords) ?? []);
        var opinion = await db.Opinions.FirstOrDefaultAsync(o => o.ConsultationId == id && o.AuthorId == userId, cancellationToken);
        var previousStance = opinion?.Stance;
        if (opinion is null)
        {
            opinion = new Opinion
            {
                Id = TimeOrderedId.Next(now), ConsultationId = id, AuthorId = userId, Stance = stance, Text = text!,
                Status = sensitive ? OpinionStatus.Held : OpinionStatus.Published, CreatedAt = now, UpdatedAt = now,
            };
            db.Opinions.Add(opinion);
        }
        else
        {
            // An opinion staff have not cleared stays with them when it changes: editing must not be a way around a review.
            var underReview = opinion.Status != OpinionStatus.Published;
            opinion.Stance = stance;
            opinion.Text = text!;
            opinion.Status = sensitive || underReview ? OpinionStatus.Held : OpinionStatus.Published;
            opinion.UpdatedAt = now;
            opinion.Edits++;
            opinion.Version++;
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Problem.Of(409, "changed-meanwhile", "Your opinion changed at the same moment (on another device?)", "Load the consultation and try again.");
        }

        var subject = ConsultationEvents.Subject(id);
        var data = new JsonObject { ["consultationId"] = id, ["opinionId"] = opinion.Id, ["stance"] = stance };
        if (previousStance is not null)
        {
            data["previousStance"] = previousStance;
        }

        await audit.AppendAsync(previousStance is null ? ConsultationEvents.OpinionPosted : ConsultationEvents.OpinionEdited, subject, data, cancellationToken);
        if (opinion.Status == OpinionStatus.Held)
        {
            await audit.AppendAsync(ConsultationEvents.OpinionHeld, subject, new JsonObject
            {
                ["consultationId"] = id, ["opinionId"] = opinion.Id, ["why"] = sensitive ? "sensitive-word" : "edited-under-review",
            }, cancellationToken);
        }

        var view = OpinionView.Of(opinion, user.FindFirstValue(YishiClaims.DisplayName), userId);
        var location = $"/api/consultations/{id}";
        return opinion.Status == OpinionStatus.Held ? TypedResults.Accepted(location, view)
            : previousStance is null ? TypedResults.Created(location, view)
            : TypedResults.Ok(view);
    }

    private static async Task<IResult> ListAsync(string id, string? after, int? limit, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await ConsultationEndpoints.FindVisibleAsync(db, id, user, cancellationToken) is not { } consultation)
        {
            return ConsultationEndpoints.NotFound(id);
        }

        if (consultation.Kind != ConsultationActivity.Opinions)
        {
            return ConsultationEndpoints.WrongKind(consultation);
        }

        var stances = await db.Opinions.Where(o => o.ConsultationId == id).GroupBy(o => o.Stance).Select(g => new { Stance = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Stance, g => g.Count, StringComparer.Ordinal, cancellationToken);
        var rows = db.Opinions.AsNoTracking().Where(o => o.ConsultationId == id && o.Status == OpinionStatus.Published);
        if (after is not null)
        {
            rows = rows.Where(o => o.Id.CompareTo(after) > 0);
        }

        var page = await rows.OrderBy(o => o.Id).Take(Math.Clamp(limit ?? 100, 1, MaxPageSize)).ToListAsync(cancellationToken);
        var names = await NamesAsync(db, page.Select(o => o.AuthorId), cancellationToken);
        var userId = user.UserId();
        var counts = new StanceCounts(stances.GetValueOrDefault(Stances.Support), stances.GetValueOrDefault(Stances.Oppose), stances.GetValueOrDefault(Stances.Neutral),
            stances.Values.Sum());
        return TypedResults.Ok(new OpinionList(counts, [.. page.Select(o => OpinionView.Of(o, names.GetValueOrDefault(o.AuthorId), userId))]));
    }

    private static async Task<IResult> ReportAsync(string opinionId, ReasonRequest request, ClaimsPrincipal user, ServerDbContext db, AuditLog audit, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        var opinion = await db.Opinions.FirstOrDefaultAsync(o => o.Id == opinionId, cancellationToken);
        // Only published opinions can be seen, so only they can be reported; the rest answer as absent.
        if (opinion is not { Status: OpinionStatus.Published }
            || await ConsultationEndpoints.FindVisibleAsync(db, opinion.ConsultationId, user, cancellationToken) is not { } consultation)
        {
            return Problem.Of(404, "not-found", "Not found", $"There is no opinion '{opinionId}'.");
        }

        if (!user.TakesPart())
        {
            return ConsultationEndpoints.ResidentsOnly();
        }

        var userId = user.UserId();
        if (opinion.AuthorId == userId)
        {
            return Problem.Of(400, "own-opinion", "You cannot report your own opinion; change it instead.");
        }

        var (reason, problem) = ConsultationEndpoints.Required(request.Reason, "reason", ConsultationLimits.MaxReasonLength);
        if (problem is not null)
        {
            return problem;
        }

        if (await db.OpinionReports.AnyAsync(r => r.OpinionId == opinionId && r.ReporterId == userId, cancellationToken))
        {
            return Problem.Of(409, "already-reported", "You reported this opinion already.");
        }

        db.OpinionReports.Add(new OpinionReport { OpinionId = opinionId, ReporterId = userId, Reason = reason!, CreatedAt = clock.GetUtcNow() });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return Problem.Of(409, "already-reported", "You reported this opinion already.");
        }

        return TypedResults.Created($"/api/consultations/{consultation.Id}/opinions",
            new OpinionReported(opinionId, await HideIfReportedEnoughAsync(db, audit, consultation, opinion, cancellationToken)));
    }

    /// <summary>
    /// Counted after the report is saved, so two reports at once cannot both miss the threshold; the opinion's version
    /// lets only one of them hide it and audit that.
    /// </summary>
    private static async Task<bool> HideIfReportedEnoughAsync(ServerDbContext db, AuditLog audit, Consultation consultation, Opinion opinion, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var reports = await db.OpinionReports.CountAsync(r => r.OpinionId == opinion.Id, cancellationToken);
            if (opinion.Status != OpinionStatus.Published || reports - opinion.ReviewedReports < consultation.ReportThreshold)
            {
                return false;
            }

            opinion.Status = OpinionStatus.Reported;
            opinion.Version++;
            try
            {
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (DbUpdateConcurrencyException)
            {
                await db.Entry(opinion).ReloadAsync(cancellationToken);
                continue;
            }

            await audit.AppendAsync(ConsultationEvents.OpinionReported, ConsultationEvents.Subject(consultation.Id), new JsonObject
            {
                ["consultationId"] = consultation.Id, ["opinionId"] = opinion.Id, ["reports"] = reports, ["threshold"] = consultation.ReportThreshold,
            }, cancellationToken);
            return true;
        }

        return false;
    }

    private static async Task<IResult> ReviewAsync(string? consultationId, ClaimsPrincipal user, ServerDbContext db, CancellationToken cancellationToken)
    {
        var scope = user.Scope();
        var length = scope?.Length ?? 0;
        var statuses = OpinionStatus.AwaitingReview;
        // Substring, not StartsWith: it translates the same on every provider (like the engine's scope filter).
        var waiting = from o in db.Opinions.AsNoTracking()
                      join c in db.Consultations.AsNoTracking() on o.ConsultationId equals c.Id
                      where statuses.Contains(o.Status) && (scope == null || (c.Scope != null && c.Scope.Substring(0, length) == scope))
                      select new { Opinion = o, c.Topic };
        if (consultationId is not null)
        {
            waiting = waiting.Where(w => w.Opinion.ConsultationId == consultationId);
        }

        var page = await waiting.OrderBy(w => w.Opinion.Id).Take(MaxPageSize).ToListAsync(cancellationToken);
        var ids = page.Select(w => w.Opinion.Id).ToList();
        var reports = (await db.OpinionReports.AsNoTracking().Where(r => ids.Contains(r.OpinionId)).Select(r => new { r.OpinionId, r.Reason }).ToListAsync(cancellationToken))
            .ToLookup(r => r.OpinionId, r => r.Reason, StringComparer.Ordinal);
        var names = await NamesAsync(db, page.Select(w => w.Opinion.AuthorId), cancellationToken);
        return TypedResults.Ok(page.Select(w => new OpinionForReview(w.Opinion.Id, w.Opinion.ConsultationId, w.Topic, Masking.Name(names.GetValueOrDefault(w.Opinion.AuthorId) ?? "?"),
            w.Opinion.Stance, w.Opinion.Text, w.Opinion.Status, reports[w.Opinion.Id].Count(), [.. reports[w.Opinion.Id]], w.Opinion.UpdatedAt)).ToList());
    }

    private static Task<IResult> HideAsync(string opinionId, ReasonRequest request, ClaimsPrincipal user, ServerDbContext db, AuditLog audit, TimeProvider clock,
        CancellationToken cancellationToken) =>
        ModerateAsync(opinionId, request, OpinionStatus.Hidden, user, db, audit, clock, cancellationToken);

    private static Task<IResult> RestoreAsync(string opinionId, ReasonRequest request, ClaimsPrincipal user, ServerDbContext db, AuditLog audit, TimeProvider clock,
        CancellationToken cancellationToken) =>
        ModerateAsync(opinionId, request, OpinionStatus.Published, user, db, audit, clock, cancellationToken);

    private static async Task<IResult> ModerateAsync(string opinionId, ReasonRequest request, string to, ClaimsPrincipal user, ServerDbContext db, AuditLog audit,
        TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await db.Opinions.FirstOrDefaultAsync(o => o.Id == opinionId, cancellationToken) is not { } opinion
            || await ConsultationEndpoints.FindVisibleAsync(db, opinion.ConsultationId, user, cancellationToken) is not { } consultation)
        {
            return Problem.Of(404, "not-found", "Not found", $"There is no opinion '{opinionId}'.");
        }

        if (!user.MayModerate(consultation))
        {
            return ConsultationEndpoints.NotYours();
        }

        var (reason, problem) = ConsultationEndpoints.Required(request.Reason, "reason", ConsultationLimits.MaxReasonLength);
        if (problem is not null)
        {
            return problem;
        }

        if (opinion.Status == to)
        {
            return Problem.Of(409, to == OpinionStatus.Hidden ? "already-hidden" : "already-published", $"The opinion is {to} already.");
        }

        var from = opinion.Status;
        var by = user.UserId();
        opinion.Status = to;
        opinion.ModerationReason = reason;
        opinion.ModeratedBy = by;
        opinion.ModeratedAt = clock.GetUtcNow();
        if (to == OpinionStatus.Published)
        {
            // Staff looked at these reports: only new ones count towards hiding it again.
            opinion.ReviewedReports = await db.OpinionReports.CountAsync(r => r.OpinionId == opinionId, cancellationToken);
        }

        opinion.Version++;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problem.Of(409, "changed-meanwhile", "The opinion changed meanwhile", "Load the review list again and decide on what it says now.");
        }

        await audit.AppendAsync(to == OpinionStatus.Hidden ? ConsultationEvents.OpinionHidden : ConsultationEvents.OpinionRestored, ConsultationEvents.Subject(consultation.Id),
            new JsonObject { ["consultationId"] = consultation.Id, ["opinionId"] = opinion.Id, ["from"] = from, ["reason"] = reason, ["by"] = by }, cancellationToken);
        var names = await NamesAsync(db, [opinion.AuthorId], cancellationToken);
        return TypedResults.Ok(OpinionView.Of(opinion, names.GetValueOrDefault(opinion.AuthorId), by));
    }

    private static async Task<Dictionary<string, string>> NamesAsync(ServerDbContext db, IEnumerable<string> userIds, CancellationToken cancellationToken)
    {
        var ids = userIds.Distinct(StringComparer.Ordinal).ToList();
        return await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, StringComparer.Ordinal, cancellationToken);
    }
}
