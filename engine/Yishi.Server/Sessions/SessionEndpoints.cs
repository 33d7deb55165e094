using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Instances;
using Yishi.Engine.Runtime;
using Yishi.Server.CaseFiles;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Instances;
using Yishi.Server.Notifications;
using Yishi.Server.Problems;

namespace Yishi.Server.Sessions;

/// <summary>
/// Sessions of a case (调解会 / 协商会): staff who work the case schedule, move and call them off; the parties are told
/// each time and the journal notes it. Whoever may read the case reads its sessions, the parties too.
/// </summary>
internal static class SessionEndpoints
{
    public static IEndpointRouteBuilder MapSessionEndpoints(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/instances").WithTags("Cases");
        cases.MapPost("/{id}/sessions", ScheduleAsync).RequireAuthorization(Policies.Staff).WithName("ScheduleSession")
            .WithSummary("Schedules a session of the case (mediation or consultation): not in the past, a place required, at most 10 upcoming per case. The parties are told.")
            .Produces<SessionView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        cases.MapGet("/{id}/sessions", ListForCaseAsync).RequireAuthorization(Policies.ReadInstances).WithName("ListCaseSessions")
            .WithSummary("The case's sessions, cancelled ones included, by when they begin.")
            .Produces<IReadOnlyList<SessionView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        var sessions = app.MapGroup("/api/sessions").WithTags("Cases").RequireAuthorization(Policies.Staff);
        sessions.MapGet("/", ListUpcomingAsync).WithName("ListUpcomingSessions")
            .WithSummary("Your units' sessions that have not begun yet and are not cancelled, soonest first.")
            .Produces<IReadOnlyList<SessionView>>();
        sessions.MapPut("/{id}", ChangeAsync).WithName("ChangeSession")
            .WithSummary("Moves or changes a scheduled session, all of its fields (as when scheduling). The parties are told.")
            .Produces<SessionView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        sessions.MapPost("/{id}/cancel", CancelAsync).WithName("CancelSession")
            .WithSummary("Calls a scheduled session off, with a reason the parties are told.")
            .Produces<SessionView>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<IResult> ScheduleAsync(string id, ScheduleSession request, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db,
        TimeProvider clock, CaseJournal journal, SessionNotices notices, CancellationToken cancellationToken)
    {
        // Only those who work the case now schedule its sessions; a unit that handed it on reads them.
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !user.ToActor().Reaches(instance.Scope))
        {
            return InstanceEndpoints.NotFound(id);
        }

        var now = clock.GetUtcNow();
        if (Check(request, now) is { } problem)
        {
            return problem;
        }

        if (instance.IsFinished)
        {
            return Closed();
        }

        // Started-at is compared in memory: SQLite cannot compare DateTimeOffset, and a case has few sessions.
        var scheduled = await db.CaseSessions.AsNoTracking().Where(s => s.InstanceId == id && s.Status == SessionRules.Scheduled).Select(s => s.StartsAt)
            .ToListAsync(cancellationToken);
        if (scheduled.Count(at => at > now) >= SessionRules.MaxUpcomingPerCase)
        {
            return Problem.Of(409, "too-many-sessions", "The case has as many upcoming sessions as it may",
                $"A case has at most {SessionRules.MaxUpcomingPerCase} upcoming sessions: hold, move or cancel one first.");
        }

        var session = new CaseSession
        {
            Id = TimeOrderedId.Next(now),
            InstanceId = id,
            Scope = instance.Scope ?? "",
            Kind = request.Kind!,
            StartsAt = request.StartsAt!.Value.ToUniversalTime(),
            Place = request.Place!.Trim(),
            Attendees = Blank(request.Attendees),
            Note = Blank(request.Note),
            Status = SessionRules.Scheduled,
            CreatedBy = user.UserId(),
            CreatedAt = now,
            UpdatedBy = user.UserId(),
            UpdatedAt = now,
        };
        db.CaseSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        await TellAsync(instance, session, null, "Session scheduled", user, journal, notices, now, cancellationToken);
        return TypedResults.Created($"/api/sessions/{session.Id}", SessionView.Of(session));
    }

    private static async Task<IResult> ListForCaseAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return InstanceEndpoints.NotFound(id);
        }

        var rows = await db.CaseSessions.AsNoTracking().Where(s => s.InstanceId == id).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.OrderBy(s => s.StartsAt).ThenBy(s => s.Id, StringComparer.Ordinal).Select(SessionView.Of).ToList());
    }

    private static async Task<IResult> ListUpcomingAsync(ClaimsPrincipal user, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        var actor = user.ToActor();
        var now = clock.GetUtcNow();
        // The path prefix narrows in SQL; the time in memory (SQLite cannot compare DateTimeOffset). Scheduled sessions
        // are few per unit: at most ten upcoming per open case.
        var prefix = actor.Scope ?? "";
        var rows = await db.CaseSessions.AsNoTracking().Where(s => s.Status == SessionRules.Scheduled && s.Scope.StartsWith(prefix)).ToListAsync(cancellationToken);
        return TypedResults.Ok(rows.Where(s => s.StartsAt > now && actor.Reaches(s.Scope)).OrderBy(s => s.StartsAt).ThenBy(s => s.Id, StringComparer.Ordinal)
            .Take(500).Select(SessionView.Of).ToList());
    }

    private static async Task<IResult> ChangeAsync(string id, ScheduleSession request, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db,
        TimeProvider clock, CaseJournal journal, SessionNotices notices, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, user, runtime, db, cancellationToken) is not ({ } session, { } instance))
        {
            return NotFound(id);
        }

        var now = clock.GetUtcNow();
        if (Check(request, now) is { } problem)
        {
            return problem;
        }

        if (NotChangeable(session, instance, now) is { } conflict)
        {
            return conflict;
        }

        var previous = session.StartsAt;
        session.Kind = request.Kind!;
        session.StartsAt = request.StartsAt!.Value.ToUniversalTime();
        session.Place = request.Place!.Trim();
        session.Attendees = Blank(request.Attendees);
        session.Note = Blank(request.Note);
        session.Revision++;
        session.UpdatedAt = now;
        session.UpdatedBy = user.UserId();
        await db.SaveChangesAsync(cancellationToken);
        await TellAsync(instance, session, previous, "Session changed", user, journal, notices, now, cancellationToken);
        return TypedResults.Ok(SessionView.Of(session));
    }

    private static async Task<IResult> CancelAsync(string id, CancelSession? request, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db,
        TimeProvider clock, CaseJournal journal, SessionNotices notices, CancellationToken cancellationToken)
    {
        if (await FindAsync(id, user, runtime, db, cancellationToken) is not ({ } session, { } instance))
        {
            return NotFound(id);
        }

        var reason = Blank(request?.Reason);
        if (reason is null || reason.Length > SessionRules.MaxReason)
        {
            var problems = new FieldProblems();
            problems.Add("reason", reason is null ? "required" : "too-long", $"Say why the session is called off (at most {SessionRules.MaxReason} characters): the parties are told.");
            return problems.ToResult("The cancellation is not valid");
        }

        var now = clock.GetUtcNow();
        if (NotChangeable(session, instance, now) is { } conflict)
        {
            return conflict;
        }

        session.Status = SessionRules.Cancelled;
        session.CancelReason = reason;
        session.Revision++;
        session.UpdatedAt = now;
        session.UpdatedBy = user.UserId();
        await db.SaveChangesAsync(cancellationToken);
        await TellAsync(instance, session, session.StartsAt, "Session cancelled", user, journal, notices, now, cancellationToken);
        return TypedResults.Ok(SessionView.Of(session));
    }

    /// <summary>The session and its case, when <paramref name="user"/> works the case now.</summary>
    private static async Task<(CaseSession?, WorkflowInstance?)> FindAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db,
        CancellationToken cancellationToken)
    {
        var session = await db.CaseSessions.FirstOrDefaultAsync(s => s.Id == id, cancellationToken);
        if (session is null || await runtime.FindInstanceAsync(session.InstanceId, cancellationToken) is not { } instance || !user.ToActor().Reaches(instance.Scope))
        {
            return (null, null);
        }

        return (session, instance);
    }

    private static IResult? NotChangeable(CaseSession session, WorkflowInstance instance, DateTimeOffset now)
    {
        if (session.Status == SessionRules.Cancelled)
        {
            return Problem.Of(409, "session-cancelled", "The session was cancelled", "Schedule a new session instead.");
        }

        if (session.StartsAt <= now)
        {
            return Problem.Of(409, "session-held", "The session has begun", "A session that has begun is not moved; add its minutes as a record, or schedule another.");
        }

        return instance.IsFinished ? Closed() : null;
    }

    private static async Task TellAsync(WorkflowInstance instance, CaseSession session, DateTimeOffset? previous, string message, ClaimsPrincipal user,
        CaseJournal journal, SessionNotices notices, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // The journal says what happened to which session; the place, attendees and note stay in the session.
        await journal.NoteAsync(instance.Id, $"{message}: {session.Kind}",
            new JsonObject { ["what"] = "session", ["sessionId"] = session.Id, ["kind"] = session.Kind, ["status"] = session.Status, ["startsAt"] = session.StartsAt },
            user, cancellationToken);
        await notices.QueueAsync(instance, session, previous, user.UserId(), now, cancellationToken);
    }

    private static IResult? Check(ScheduleSession request, DateTimeOffset now)
    {
        var problems = new FieldProblems();
        if (request.Kind is null || !SessionRules.Kinds.Contains(request.Kind))
        {
            problems.Add("kind", "invalid-kind", $"'kind' is one of {string.Join(", ", SessionRules.Kinds)}.");
        }

        if (request.StartsAt is not { } startsAt)
        {
            problems.Add("startsAt", "required", "'startsAt' is required: the date and time the session begins.");
        }
        else if (startsAt <= now)
        {
            problems.Add("startsAt", "in-the-past", "'startsAt' is in the past: a session is scheduled for a time still to come.");
        }
        else if (startsAt > now + SessionRules.MaxAhead)
        {
            problems.Add("startsAt", "too-far-ahead", "'startsAt' is more than a year ahead.");
        }

        if (string.IsNullOrWhiteSpace(request.Place))
        {
            problems.Add("place", "required", "'place' is required: where the parties should come.");
        }
        else if (request.Place.Trim().Length > SessionRules.MaxPlace)
        {
            problems.Add("place", "too-long", $"'place' has at most {SessionRules.MaxPlace} characters.");
        }

        if (request.Attendees?.Trim().Length > SessionRules.MaxAttendees)
        {
            problems.Add("attendees", "too-long", $"'attendees' has at most {SessionRules.MaxAttendees:N0} characters.");
        }

        if (request.Note?.Trim().Length > SessionRules.MaxNote)
        {
            problems.Add("note", "too-long", $"'note' has at most {SessionRules.MaxNote:N0} characters.");
        }

        return problems.Any ? problems.ToResult("The session is not valid") : null;
    }

    private static IResult Closed() => Problem.Of(409, "case-closed", "The case is closed", "Sessions are scheduled for open cases only.");

    private static IResult NotFound(string id) => Problem.Of(404, "not-found", "Not found", $"There is no session '{id}' of your units' cases.");

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
