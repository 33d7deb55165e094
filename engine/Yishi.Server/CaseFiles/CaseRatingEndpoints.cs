using System.Security.Claims;
using System.Text.Json;
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
/// A party's satisfaction with how their case was handled (满意 / 基本满意 / 不满意, and a comment), given by the
/// resident themselves while the case asks for it: while it waits at a task whose outcomes are the rating's words (the
/// dispute-mediation workflow's <c>record-rating</c>). One per party. It is kept in the case file as a record of kind
/// <c>rating</c> written by the party, so staff see it where they read the case, including when they record the rating
/// task's outcome; other parties do not see it.
/// </summary>
internal static class CaseRatingEndpoints
{
    public const string RecordKind = "rating";

    /// <summary>The ratings, in the words the rating task's outcomes use.</summary>
    public static readonly IReadOnlyList<string> Ratings = ["satisfied", "partly-satisfied", "dissatisfied"];

    public const int MaxComment = 1000;

    /// <summary>A party's rating.</summary>
    public sealed record RateCase(string? Rating, string? Comment);

    /// <summary>Whether the case asks for a rating now, and the caller's own if they gave one.</summary>
    public sealed record RatingView(string InstanceId, bool Open, string? Rating, string? Comment, DateTimeOffset? RatedAt);

    public static void Map(RouteGroupBuilder cases)
    {
        cases.MapGet("/{id}/rating", GetAsync).RequireAuthorization(Policies.SignedIn).WithName("GetMyCaseRating")
            .WithSummary("For a resident who is a party: whether the case asks for their rating now, and the rating they gave. 404 for anyone else.")
            .Produces<RatingView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        cases.MapPost("/{id}/rating", RateAsync).RequireAuthorization(Policies.SignedIn).WithName("RateCase")
            .WithSummary("A resident party rates the handling of their case {rating: satisfied|partly-satisfied|dissatisfied, comment}, once, while the case asks for it. "
                + "Kept in the case file as a record of kind rating. 404 for anyone but a resident party.")
            .Produces<RatingView>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, CancellationToken cancellationToken)
    {
        if (await PartyCaseAsync(id, user, runtime, db, cancellationToken) is not { } instance)
        {
            return InstanceEndpoints.NotFound(id);
        }

        var mine = await MineAsync(db, id, user.UserId(), cancellationToken);
        return TypedResults.Ok(new RatingView(id, mine is null && await AsksForRatingAsync(runtime, instance, cancellationToken), mine?.Title, Blank(mine?.Text),
            mine?.CreatedAt));
    }

    private static async Task<IResult> RateAsync(string id, RateCase request, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db, TimeProvider clock,
        CaseJournal journal, CancellationToken cancellationToken)
    {
        if (await PartyCaseAsync(id, user, runtime, db, cancellationToken) is not { } instance)
        {
            return InstanceEndpoints.NotFound(id);
        }

        var problems = new FieldProblems();
        if (request.Rating is null || !Ratings.Contains(request.Rating))
        {
            problems.Add("rating", "invalid-rating", $"'rating' is one of {string.Join(", ", Ratings)}.");
        }

        if (request.Comment is { Length: > MaxComment } comment)
        {
            problems.Add("comment", "too-long", $"'comment' has at most {MaxComment:N0} characters; it has {comment.Length:N0}.");
        }

        if (problems.Any)
        {
            return problems.ToResult("The rating is not valid");
        }

        var me = user.UserId();
        if (await MineAsync(db, id, me, cancellationToken) is not null)
        {
            return Problem.Of(409, "already-rated", "You rated this case already", "Each party rates a case once.");
        }

        if (!await AsksForRatingAsync(runtime, instance, cancellationToken))
        {
            return Problem.Of(409, "rating-not-open", "The case does not ask for a rating now", "A case is rated when it is closing, until its rating deadline.");
        }

        var now = clock.GetUtcNow();
        var record = new CaseRecord
        {
            Id = TimeOrderedId.Next(now),
            InstanceId = id,
            Kind = RecordKind,
            Title = request.Rating!,
            Text = request.Comment?.Trim() ?? "",
            AuthorId = me,
            CreatedAt = now,
        };
        db.CaseRecords.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        // The journal says that a party rated, never how: the timeline is read by the other parties too.
        await journal.NoteAsync(id, "A party rated the case", new JsonObject { ["what"] = "rating", ["recordId"] = record.Id }, user, cancellationToken);
        return TypedResults.Created($"/api/instances/{id}/rating", new RatingView(id, false, record.Title, Blank(record.Text), record.CreatedAt));
    }

    /// <summary>Whether a rating record may be shown to <paramref name="user"/>: staff see every one, a party only their own.</summary>
    public static bool MayRead(CaseRecord record, ClaimsPrincipal user) =>
        record.Kind != RecordKind || !user.SeesByPartyOnly() || record.AuthorId == user.UserId();

    // Only residents who are parties rate; to anyone else the address answers as if the case did not exist.
    private static async Task<Engine.Instances.WorkflowInstance?> PartyCaseAsync(string id, ClaimsPrincipal user, WorkflowRuntime runtime, ServerDbContext db,
        CancellationToken cancellationToken)
    {
        if (!user.SeesByPartyOnly() || await runtime.FindInstanceAsync(id, cancellationToken) is not { } instance || !await user.MaySeeAsync(instance, db, cancellationToken))
        {
            return null;
        }

        return instance;
    }

    private static Task<CaseRecord?> MineAsync(ServerDbContext db, string instanceId, string userId, CancellationToken cancellationToken) =>
        db.CaseRecords.AsNoTracking().FirstOrDefaultAsync(r => r.InstanceId == instanceId && r.Kind == RecordKind && r.AuthorId == userId, cancellationToken);

    /// <summary>The case waits at a human task whose outcomes are exactly the ratings: the workflow is asking for one.</summary>
    private static async Task<bool> AsksForRatingAsync(WorkflowRuntime runtime, Engine.Instances.WorkflowInstance instance, CancellationToken cancellationToken)
    {
        if (instance.IsFinished)
        {
            return false;
        }

        var waiting = await runtime.QueryBookmarksAsync(new Engine.Persistence.BookmarkQuery { InstanceId = instance.Id, Limit = 1000 }, cancellationToken);
        if (waiting.Count == 0)
        {
            return false;
        }

        var graph = await runtime.Definitions.GetGraphAsync(instance.DefinitionId, instance.DefinitionVersion, cancellationToken);
        return waiting.Any(b => b.ActivityType == "HumanTask"
            && graph?.Definition.Activities.FirstOrDefault(a => a.Id == b.ActivityId)?.Property("outcomes") is { ValueKind: JsonValueKind.Array } outcomes
            && outcomes.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.String ? o.GetString() : null).Order(StringComparer.Ordinal)
                .SequenceEqual(Ratings.Order(StringComparer.Ordinal)));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
