using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Consultations;

/// <summary>
/// Consultations (居民协商, 效果共评): residents read them and take part in those of their org unit and the units above;
/// staff of the unit close them early and publish the summary, which moves the case on. Opinions and evaluations have
/// their own files.
/// </summary>
internal static class ConsultationEndpoints
{
    public const int MaxPageSize = 100;

    public static IEndpointRouteBuilder MapConsultationEndpoints(this IEndpointRouteBuilder app)
    {
        // Signed-in people, not API keys: taking part is personal. Each handler narrows further (residents take part, staff moderate).
        var people = app.MapGroup("/api/consultations").WithTags("Consultations").RequireAuthorization(Policies.SignedIn);
        var staff = app.MapGroup("/api/consultations").WithTags("Consultations").RequireAuthorization(Policies.Staff);
        people.MapGet("/", ListAsync).WithName("ListConsultations")
            .WithSummary("Consultations of your org unit and the units above it (staff: and below); open=true for those open now, open=false for closed ones.")
            .Produces<IReadOnlyList<ConsultationRow>>();
        people.MapGet("/{id}", GetAsync).WithName("GetConsultation")
            .WithSummary("A consultation, with your own opinion (whatever its status) and whether you evaluated; its counts once closed.")
            .Produces<ConsultationView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        staff.MapPost("/{id}/close", CloseAsync).WithName("CloseConsultation")
            .WithSummary("Closes a consultation before its closing time; its counts are frozen and audited. 409 when it is closed already.")
            .Produces<ConsultationView>()
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        staff.MapPost("/{id}/summary", SummaryAsync).WithName("PublishConsultationSummary")
            .WithSummary("Publishes the summary of a closed consultation and resumes its case with the counts and the summary. 409 while open or when summed up already.")
            .Produces<SummaryPublished>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        OpinionEndpoints.Map(people, staff);
        EvaluationEndpoints.Map(people);
        return app;
    }

    /// <summary>The consultation if the user may see it; otherwise null, as if it did not exist.</summary>
    public static async Task<Consultation?> FindVisibleAsync(ServerDbContext db, string id, ClaimsPrincipal user, CancellationToken cancellationToken) =>
        await db.Consultations.FirstOrDefaultAsync(c => c.Id == id, cancellationToken) is { } consultation && user.MaySee(consultation) ? consultation : null;

    public static IResult NotFound(string id) => Problem.Of(404, "not-found", "Not found", $"There is no consultation '{id}'.");

    public static IResult NotYours() =>
        Problem.Of(403, "outside-your-org-unit", "Forbidden", "Staff of the consultation's org unit (or a unit above it) moderate it.");

    public static IResult ResidentsOnly() => Problem.Of(403, "residents-only", "Forbidden", "Residents take part in consultations; staff moderate them.");

    public static IResult Closed() => Problem.Of(409, "consultation-closed", "The consultation is closed", "Opinions and evaluations are given while it is open.");

    public static IResult WrongKind(Consultation consultation) => consultation.Kind == ConsultationActivity.Evaluation
        ? Problem.Of(400, "wrong-kind", "This consultation is an evaluation", "Score its questions instead (POST …/evaluations).")
        : Problem.Of(400, "wrong-kind", "This consultation asks for opinions", "Give an opinion instead (POST …/opinions).");

    /// <summary>Trimmed text, or a 400 when it is empty or longer than <paramref name="max"/>.</summary>
    public static (string? Text, IResult? Problem) Required(string? value, string name, int max)
    {
        var text = value?.Trim();
        return string.IsNullOrEmpty(text) ? (null, Problem.Of(400, "bad-request", $"'{name}' is required."))
            : text.Length > max ? (null, Problem.Of(400, "too-long", $"'{name}' has at most {max} characters.", $"It has {text.Length}."))
            : (text, null);
    }

    private static async Task<IResult> ListAsync(bool? open, int? limit, ClaimsPrincipal user, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var rows = db.Consultations.AsNoTracking().VisibleTo(user);
        rows = open switch
        {
            true => rows.Where(c => c.Status == ConsultationStatus.Open && c.ClosesAtMs > nowMs),
            false => rows.Where(c => c.Status != ConsultationStatus.Open || c.ClosesAtMs <= nowMs),
            _ => rows,
        };
        var page = await rows.OrderByDescending(c => c.ClosesAtMs).ThenBy(c => c.Id).Take(Math.Clamp(limit ?? MaxPageSize, 1, MaxPageSize)).ToListAsync(cancellationToken);
        return TypedResults.Ok(page.Select(c => ConsultationRow.Of(c, now)).ToList());
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(db, id, user, cancellationToken) is not { } consultation)
        {
            return NotFound(id);
        }

        var userId = user.UserId();
        var mine = await db.Opinions.AsNoTracking().FirstOrDefaultAsync(o => o.ConsultationId == id && o.AuthorId == userId, cancellationToken);
        var evaluated = await db.Evaluations.AnyAsync(v => v.ConsultationId == id && v.ResidentId == userId, cancellationToken);
        return TypedResults.Ok(ConsultationView.Of(consultation, clock.GetUtcNow(),
            mine is null ? null : OpinionView.Of(mine, user.FindFirstValue(YishiClaims.DisplayName), userId), evaluated));
    }

    private static async Task<IResult> CloseAsync(string id, ClaimsPrincipal user, ServerDbContext db, ConsultationCloser closer, TimeProvider clock,
        CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(db, id, user, cancellationToken) is not { } consultation)
        {
            return NotFound(id);
        }

        if (!user.MayModerate(consultation))
        {
            return NotYours();
        }

        return await closer.CloseAsync(db, consultation, user.UserId(), early: true, cancellationToken)
            ? TypedResults.Ok(ConsultationView.Of(consultation, clock.GetUtcNow()))
            : Problem.Of(409, "already-closed", "The consultation is closed already.");
    }

    private static async Task<IResult> SummaryAsync(string id, SummaryRequest request, ClaimsPrincipal user, ServerDbContext db, ConsultationCloser closer,
        ConsultationSummaries summaries, TimeProvider clock, Yishi.Engine.Runtime.WorkflowRuntime runtime, CancellationToken cancellationToken)
    {
        if (await FindVisibleAsync(db, id, user, cancellationToken) is not { } consultation)
        {
            return NotFound(id);
        }

        if (!user.MayModerate(consultation))
        {
            return NotYours();
        }

        var (text, problem) = Required(request.Text, "text", ConsultationLimits.MaxSummaryLength);
        if (problem is not null)
        {
            return problem;
        }

        var now = clock.GetUtcNow();
        if (consultation.IsOpenAt(now))
        {
            return Problem.Of(409, "not-closed", "The consultation is still open", "Publish the summary after it closes, or close it early first.");
        }

        // Its time is up but the sweep has not come by yet: close it here, so the summary goes with frozen counts.
        await closer.CloseAsync(db, consultation, "system", early: false, cancellationToken);
        if (consultation.Status != ConsultationStatus.Closed || !await summaries.PublishAsync(db, consultation, text!, user.UserId(), cancellationToken))
        {
            return Problem.Of(409, "already-summarized", "The summary of this consultation was published already.");
        }

        var step = await summaries.ResumeAsync(db, consultation, cancellationToken);
        // The background loop may have resumed the case first (it retries summaries not yet resumed): then this resume
        // conflicts, and the case's state is read instead.
        var status = step is { Succeeded: true } ? step.InstanceStatus
            : step?.Conflict == Yishi.Engine.Persistence.ConflictReason.BookmarkConsumed ? (await runtime.FindInstanceAsync(consultation.InstanceId, cancellationToken))?.Status
            : null;
        return TypedResults.Ok(new SummaryPublished(ConsultationView.Of(consultation, clock.GetUtcNow()), status));
    }
}
