using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Runtime;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Instances;
using Yishi.Server.Notifications;
using Yishi.Server.Problems;

namespace Yishi.Server.CaseFiles;

/// <summary>
/// Records in the case file: minutes of sessions, visits, notes. Staff who work the case add them; whoever may read the
/// case reads them, residents who are parties too, since the minutes of their own sessions are part of their case.
/// </summary>
internal static class CaseRecordEndpoints
{
    public static void Map(RouteGroupBuilder cases)
    {
        cases.MapPost("/{id}/records", AddAsync).RequireAuthorization(Policies.Staff).WithName("AddCaseRecord")
            .WithSummary("Adds a record to the case file: the minutes of a session, a visit or a note. It is noted in the journal (its id and kind, not its text).")
            .Produces<RecordView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge);
        cases.MapGet("/{id}/records", ListForReaderAsync).RequireAuthorization(Policies.ReadInstances).WithName("ListCaseRecords")
            .WithSummary("The case file's records, oldest first.")
            .Produces<IReadOnlyList<RecordView>>()
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    /// <summary>The records of a case, oldest first, their authors masked.</summary>
    public static async Task<IReadOnlyList<RecordView>> ListAsync(string instanceId, ServerDbContext db, CancellationToken cancellationToken)
    {
        var records = await db.CaseRecords.AsNoTracking().Where(r => r.InstanceId == instanceId).OrderBy(r => r.Id).ToListAsync(cancellationToken);
        var authors = records.Select(r => r.AuthorId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => authors.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, cancellationToken);
        return [.. records.Select(r => RecordView.Of(r, names))];
    }

    private static async Task<IResult> ListForReaderAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return InstanceEndpoints.NotFound(id);
        }

        // A party's rating is theirs and the staff's: the other parties do not read it.
        var hidden = user.SeesByPartyOnly()
            ? await db.CaseRecords.AsNoTracking().Where(r => r.InstanceId == id && r.Kind == CaseRatingEndpoints.RecordKind && r.AuthorId != user.UserId())
                .Select(r => r.Id).ToListAsync(cancellationToken)
            : [];
        return TypedResults.Ok((await ListAsync(id, db, cancellationToken)).Where(r => !hidden.Contains(r.Id)).ToList());
    }

    private static async Task<IResult> AddAsync(string id, AddRecord request, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, TimeProvider clock,
        CaseJournal journal, CancellationToken cancellationToken)
    {
        // Only those who work the case now write in its file; a unit that handed it on reads it.
        if (await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !user.ToActor().Reaches(instance.Scope))
        {
            return InstanceEndpoints.NotFound(id);
        }

        var now = clock.GetUtcNow();
        if (Check(request, now) is { } problem)
        {
            return problem;
        }

        if (await db.CaseRecords.CountAsync(r => r.InstanceId == id, cancellationToken) >= CaseRecordLimits.MaxPerCase)
        {
            return Problem.Of(409, "too-many-records", "The case file is full", $"A case holds at most {CaseRecordLimits.MaxPerCase:N0} records.");
        }

        var record = new CaseRecord
        {
            Id = TimeOrderedId.Next(now),
            InstanceId = id,
            Kind = request.Kind!,
            Title = request.Title!.Trim(),
            Text = request.Text!,
            HeldAt = request.HeldAt?.ToUniversalTime(),
            Place = Blank(request.Place),
            Attendees = Blank(request.Attendees),
            AuthorId = user.UserId(),
            CreatedAt = now,
        };
        db.CaseRecords.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await journal.NoteAsync(id, $"Record added: {record.Kind}", new JsonObject { ["what"] = "record", ["recordId"] = record.Id, ["kind"] = record.Kind }, user,
            cancellationToken);

        var author = await db.Users.AsNoTracking().Where(u => u.Id == record.AuthorId).Select(u => u.DisplayName).FirstOrDefaultAsync(cancellationToken);
        return TypedResults.Created($"/api/instances/{id}/records", RecordView.Of(record, new Dictionary<string, string> { [record.AuthorId] = author ?? "" }));
    }

    private static IResult? Check(AddRecord request, DateTimeOffset now)
    {
        var problems = new FieldProblems();
        if (request.Kind is null || !CaseVocabulary.RecordKinds.Contains(request.Kind))
        {
            problems.Add("kind", "invalid-kind", $"'kind' is one of {string.Join(", ", CaseVocabulary.RecordKinds)}.");
        }

        Text(problems, "title", request.Title, CaseRecordLimits.MaxTitle, required: true);
        Text(problems, "text", request.Text, CaseRecordLimits.MaxText, required: true);
        Text(problems, "place", request.Place, CaseRecordLimits.MaxPlace, required: false);
        Text(problems, "attendees", request.Attendees, CaseRecordLimits.MaxAttendees, required: false);
        // A day's grace for a client whose clock or time zone is off; a record of something next year is a typo.
        if (request.HeldAt > now.AddDays(1))
        {
            problems.Add("heldAt", "in-the-future", "'heldAt' is when the session or visit took place: not in the future.");
        }

        return problems.Any ? problems.ToResult("The record is not valid") : null;
    }

    private static void Text(FieldProblems problems, string field, string? value, int max, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(value))
        {
            problems.Add(field, "required", $"'{field}' is required.");
        }
        else if (value is not null && value.Length > max)
        {
            problems.Add(field, "too-long", $"'{field}' has at most {max:N0} characters; it has {value.Length:N0}.");
        }
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
