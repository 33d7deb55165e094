using System.Text.Json.Nodes;
using Yishi.Engine.Instances;
using Yishi.Engine.Privacy;
using Yishi.Server.OrgUnits;

namespace Yishi.Server.Consultations;

/// <summary>A consultation in a list.</summary>
public sealed record ConsultationRow(string Id, string Topic, string Kind, string Status, bool Open, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, string? OrgUnitId)
{
    internal static ConsultationRow Of(Consultation c, DateTimeOffset now) =>
        new(c.Id, c.Topic, c.Kind, c.Status, c.IsOpenAt(now), c.OpensAt, c.ClosesAt, OrgUnitDirectory.IdOf(c.Scope));
}

/// <summary>
/// A consultation as its page shows it: the caller's own opinion (whatever its status) and whether they evaluated;
/// the counts once it closed. Its sensitive words are not shown: knowing them would help to get around them.
/// </summary>
public sealed record ConsultationView(string Id, string Topic, string? Description, string Kind, string Status, bool Open, DateTimeOffset OpensAt, DateTimeOffset ClosesAt,
    DateTimeOffset? ClosedAt, string? OrgUnitId, JsonNode? Attachments, IReadOnlyList<EvaluationQuestion> Questions, int ReportThreshold, JsonObject? Tally, string? Summary,
    DateTimeOffset? SummaryAt, OpinionView? MyOpinion, bool Evaluated)
{
    internal static ConsultationView Of(Consultation c, DateTimeOffset now, OpinionView? mine = null, bool evaluated = false) =>
        new(c.Id, c.Topic, c.Description, c.Kind, c.Status, c.IsOpenAt(now), c.OpensAt, c.ClosesAt, c.ClosedAt, OrgUnitDirectory.IdOf(c.Scope), JsonNode.Parse(c.Attachments),
            ConsultationTally.QuestionsOf(c), c.ReportThreshold, c.Tally is null ? null : JsonNode.Parse(c.Tally) as JsonObject, c.Summary, c.SummaryAt, mine, evaluated);
}

/// <summary>An opinion: the author's name masked (<c>张**</c>), never their id; <c>note</c> says why it is not public, for its author and staff.</summary>
public sealed record OpinionView(string Id, string Author, string Stance, string Text, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, bool Edited, bool Mine,
    string? Note)
{
    internal static OpinionView Of(Opinion o, string? authorName, string? viewerId) =>
        new(o.Id, Masking.Name(authorName ?? "?"), o.Stance, o.Text, o.Status, o.CreatedAt, o.UpdatedAt, o.Edits > 0, o.AuthorId == viewerId, NoteOf(o));

    private static string? NoteOf(Opinion o) => o.Status switch
    {
        OpinionStatus.Held => "Held for review by staff before it is published.",
        OpinionStatus.Reported => "Hidden after reports from residents until staff review it.",
        OpinionStatus.Hidden => "Hidden by staff: " + o.ModerationReason,
        _ => null,
    };
}

/// <summary>How many residents took each stance (each resident once, whatever became of the text).</summary>
public sealed record StanceCounts(int Support, int Oppose, int Neutral, int Total);

/// <summary>The published opinions of a consultation and the counts.</summary>
public sealed record OpinionList(StanceCounts Counts, IReadOnlyList<OpinionView> Opinions);

/// <summary>An opinion waiting for a staff decision, with the reports' reasons.</summary>
public sealed record OpinionForReview(string OpinionId, string ConsultationId, string Topic, string Author, string Stance, string Text, string Status, int Reports,
    IReadOnlyList<string> ReportReasons, DateTimeOffset UpdatedAt);

/// <summary>What a report did: <c>hidden</c> when it reached the threshold and the opinion is now hidden until staff review it.</summary>
public sealed record OpinionReported(string OpinionId, bool Hidden);

/// <summary>An evaluation's results: per question id the average score (2 decimals, null while nobody scored it), and the average over all questions.</summary>
public sealed record EvaluationResults(string ConsultationId, int Count, JsonObject Averages, double? Average, IReadOnlyList<EvaluationQuestion> Questions);

/// <summary>A resident's evaluation as saved.</summary>
public sealed record EvaluationSaved(string ConsultationId, JsonObject Scores, DateTimeOffset At);

/// <summary>The summary published, and the case's status after it resumed (null when it no longer waited for the consultation).</summary>
public sealed record SummaryPublished(ConsultationView Consultation, InstanceStatus? InstanceStatus);

/// <summary>A resident's opinion.</summary>
/// <param name="Stance">support, oppose or neutral.</param>
/// <param name="Text">Their reasons.</param>
public sealed record OpinionRequest(string? Stance, string? Text);

/// <summary>A reason: for a report, a hide or a restore.</summary>
public sealed record ReasonRequest(string? Reason);

/// <summary>A resident's scores.</summary>
/// <param name="Scores">Question id → 1 to 5, for every question.</param>
/// <param name="Comment">Seen by staff only.</param>
public sealed record EvaluationRequest(JsonObject? Scores, string? Comment);

/// <summary>The summary staff publish after close.</summary>
public sealed record SummaryRequest(string? Text);
