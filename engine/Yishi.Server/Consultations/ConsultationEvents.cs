namespace Yishi.Server.Consultations;

/// <summary>
/// What consultations write to the audit chain, under the subject <c>consultation:&lt;id&gt;</c>: ids, stances,
/// counts and staff's reasons; never an opinion's text or who wrote it.
/// </summary>
internal static class ConsultationEvents
{
    public const string Opened = "consultation.opened";
    public const string OpinionPosted = "opinion.posted";
    public const string OpinionEdited = "opinion.edited";
    public const string OpinionHeld = "opinion.held";
    public const string OpinionReported = "opinion.reported-threshold";
    public const string OpinionHidden = "opinion.hidden";
    public const string OpinionRestored = "opinion.restored";
    public const string EvaluationSubmitted = "evaluation.submitted";
    public const string Closed = "consultation.closed";
    public const string SummaryPublished = "consultation.summary-published";

    public static string Subject(string consultationId) => "consultation:" + consultationId;
}
