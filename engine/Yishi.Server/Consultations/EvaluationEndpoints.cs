using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Server.Audit;
using Yishi.Server.Data;
using Yishi.Server.Identity;
using Yishi.Server.Problems;

namespace Yishi.Server.Consultations;

/// <summary>Evaluations (效果共评): each resident scores every question once from 1 to 5; residents see the averages after close, staff at any time.</summary>
internal static class EvaluationEndpoints
{
    public static void Map(RouteGroupBuilder people)
    {
        people.MapPost("/{id}/evaluations", SubmitAsync).WithName("SubmitEvaluation")
            .WithSummary("Scores every question of an evaluation {scores: {questionId: 1..5}, comment}, once per resident, while it is open.")
            .Produces<EvaluationSaved>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        people.MapGet("/{id}/evaluations", ResultsAsync).WithName("GetEvaluationResults")
            .WithSummary("How many evaluated and the average score of each question: for residents after close (409 before), for staff at any time.")
            .Produces<EvaluationResults>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> SubmitAsync(string id, EvaluationRequest request, ClaimsPrincipal user, ServerDbContext db, AuditLog audit, TimeProvider clock,
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

        if (consultation.Kind != ConsultationActivity.Evaluation)
        {
            return ConsultationEndpoints.WrongKind(consultation);
        }

        var now = clock.GetUtcNow();
        if (!consultation.IsOpenAt(now))
        {
            return ConsultationEndpoints.Closed();
        }

        var questions = ConsultationTally.QuestionsOf(consultation);
        if (Check(questions, request.Scores) is { } wrong)
        {
            return Problem.Of(400, "bad-scores", "Score every question with a whole number from 1 to 5", wrong);
        }

        var comment = request.Comment?.Trim();
        if (comment?.Length > ConsultationLimits.MaxCommentLength)
        {
            return Problem.Of(400, "too-long", $"'comment' has at most {ConsultationLimits.MaxCommentLength} characters.");
        }

        var userId = user.UserId();
        if (await db.Evaluations.AnyAsync(v => v.ConsultationId == id && v.ResidentId == userId, cancellationToken))
        {
            return AlreadyEvaluated();
        }

        var scores = new JsonObject();
        foreach (var question in questions)
        {
            scores[question.Id] = request.Scores![question.Id]!.GetValue<int>();
        }

        db.Evaluations.Add(new Evaluation
        {
            ConsultationId = id, ResidentId = userId, Scores = scores.ToJsonString(), Comment = string.IsNullOrEmpty(comment) ? null : comment, CreatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException)
        {
            return AlreadyEvaluated();
        }

        // Turnout only: who scored what stays in the evaluations table.
        await audit.AppendAsync(ConsultationEvents.EvaluationSubmitted, ConsultationEvents.Subject(id), new JsonObject { ["consultationId"] = id }, cancellationToken);
        return TypedResults.Created($"/api/consultations/{id}/evaluations", new EvaluationSaved(id, scores, now));
    }

    private static async Task<IResult> ResultsAsync(string id, ClaimsPrincipal user, ServerDbContext db, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (await ConsultationEndpoints.FindVisibleAsync(db, id, user, cancellationToken) is not { } consultation)
        {
            return ConsultationEndpoints.NotFound(id);
        }

        if (consultation.Kind != ConsultationActivity.Evaluation)
        {
            return ConsultationEndpoints.WrongKind(consultation);
        }

        // Residents see the results after close, so early averages do not sway those still to score.
        if (!user.IsStaff() && consultation.IsOpenAt(clock.GetUtcNow()))
        {
            return Problem.Of(409, "results-after-close", "The results are shown when the evaluation closes.");
        }

        var questions = ConsultationTally.QuestionsOf(consultation);
        var scores = await db.Evaluations.AsNoTracking().Where(v => v.ConsultationId == id).Select(v => v.Scores).ToListAsync(cancellationToken);
        var (count, averages, average) = ConsultationTally.Averages(questions, scores);
        return TypedResults.Ok(new EvaluationResults(id, count, averages, average, questions));
    }

    /// <summary>What is wrong with the scores, or null: every question scored 1 to 5, no other keys.</summary>
    private static string? Check(IReadOnlyList<EvaluationQuestion> questions, JsonObject? scores)
    {
        if (scores is null)
        {
            return "'scores' is required: {\"questionId\": 1..5, …} for every question.";
        }

        var known = questions.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        problems.AddRange(scores.Select(s => s.Key).Where(k => !known.Contains(k)).Select(k => $"'{k}' is not a question of this evaluation."));
        foreach (var question in questions)
        {
            if (scores[question.Id] is not JsonValue value)
            {
                problems.Add($"'{question.Id}' is not scored.");
            }
            else if (value.GetValueKind() != JsonValueKind.Number || !value.TryGetValue<int>(out var score) || score is < 1 or > 5)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"'{question.Id}' must be a whole number from 1 to 5, not {value.ToJsonString()}."));
            }
        }

        return problems.Count == 0 ? null : string.Join(" ", problems);
    }

    private static IResult AlreadyEvaluated() => Problem.Of(409, "already-evaluated", "You evaluated this already.");
}
