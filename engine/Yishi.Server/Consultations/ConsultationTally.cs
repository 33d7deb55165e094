using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Yishi.Engine.Activities.BuiltIn;
using Yishi.Server.Data;

namespace Yishi.Server.Consultations;

/// <summary>
/// The counts of a consultation: what closing freezes, the summary passes to the case (as <c>activities.&lt;id&gt;.support</c>
/// and so on) and the audit chain records. Every resident's stance counts once, whatever moderation did to the text
/// of their opinion: moderation is about words, and must not be a way to change the count.
/// </summary>
internal static class ConsultationTally
{
    public static async Task<JsonObject> CountAsync(ServerDbContext db, Consultation consultation, CancellationToken cancellationToken)
    {
        if (consultation.Kind == ConsultationActivity.Evaluation)
        {
            var scores = await db.Evaluations.AsNoTracking().Where(v => v.ConsultationId == consultation.Id).Select(v => v.Scores).ToListAsync(cancellationToken);
            var (count, averages, average) = Averages(QuestionsOf(consultation), scores);
            return new JsonObject
            {
                ["kind"] = consultation.Kind,
                ["participants"] = count,
                ["evaluations"] = count,
                ["averages"] = averages,
                ["average"] = average,
            };
        }

        var groups = await db.Opinions.AsNoTracking().Where(o => o.ConsultationId == consultation.Id)
            .GroupBy(o => new { o.Stance, o.Status }).Select(g => new { g.Key.Stance, g.Key.Status, Count = g.Count() }).ToListAsync(cancellationToken);
        int Of(Func<string, string, bool> which) => groups.Where(g => which(g.Stance, g.Status)).Sum(g => g.Count);
        return new JsonObject
        {
            ["kind"] = consultation.Kind,
            ["participants"] = Of((_, _) => true),
            ["support"] = Of((stance, _) => stance == Stances.Support),
            ["oppose"] = Of((stance, _) => stance == Stances.Oppose),
            ["neutral"] = Of((stance, _) => stance == Stances.Neutral),
            ["published"] = Of((_, status) => status == OpinionStatus.Published),
            ["awaitingReview"] = Of((_, status) => OpinionStatus.AwaitingReview.Contains(status)),
            ["hidden"] = Of((_, status) => status == OpinionStatus.Hidden),
        };
    }

    /// <summary>How many evaluated, the average per question (2 decimals) and over all questions; null averages while nobody has.</summary>
    public static (int Count, JsonObject Averages, double? Average) Averages(IReadOnlyList<EvaluationQuestion> questions, IReadOnlyList<string> scores)
    {
        var parsed = scores.Select(s => JsonSerializer.Deserialize<Dictionary<string, int>>(s) ?? []).ToList();
        var averages = new JsonObject();
        foreach (var question in questions)
        {
            var given = parsed.Where(p => p.ContainsKey(question.Id)).Select(p => p[question.Id]).ToList();
            averages[question.Id] = given.Count == 0 ? null : Round(given.Average());
        }

        var all = parsed.SelectMany(p => p.Values).ToList();
        return (parsed.Count, averages, all.Count == 0 ? null : Round(all.Average()));
    }

    public static IReadOnlyList<EvaluationQuestion> QuestionsOf(Consultation consultation) =>
        JsonSerializer.Deserialize<List<EvaluationQuestion>>(consultation.Questions, JsonSerializerOptions.Web) ?? [];

    private static double Round(double value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}

/// <summary>One question of an evaluation, scored from 1 to 5.</summary>
/// <param name="Id">Its key in the scores.</param>
/// <param name="Text">What residents are asked.</param>
public sealed record EvaluationQuestion(string Id, string Text);
