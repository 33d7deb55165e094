namespace Yishi.Server.Consultations;

/// <summary>A resident's opinion in a consultation (<c>yishi_consultation_opinions</c>): one per resident, editable while it is open.</summary>
public sealed class Opinion
{
    /// <summary>Time-ordered: lists sort by it (SQLite cannot sort DateTimeOffset in SQL).</summary>
    public required string Id { get; set; }

    public required string ConsultationId { get; set; }

    /// <summary>The resident. Never shown or audited; lists show the author's name masked.</summary>
    public required string AuthorId { get; set; }

    /// <summary>See <see cref="Stances"/>.</summary>
    public required string Stance { get; set; }

    public required string Text { get; set; }

    /// <summary>See <see cref="OpinionStatus"/>.</summary>
    public required string Status { get; set; }

    /// <summary>Reports counted at the last review: only reports after it count towards hiding the opinion again.</summary>
    public int ReviewedReports { get; set; }

    /// <summary>Staff's reason for the last hide or restore.</summary>
    public string? ModerationReason { get; set; }

    public string? ModeratedBy { get; set; }

    public DateTimeOffset? ModeratedAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public int Edits { get; set; }

    /// <summary>Concurrency token: an edit, a report reaching the threshold and a moderator's decision cannot overwrite each other.</summary>
    public int Version { get; set; }
}

/// <summary>Where an opinion stands.</summary>
public static class OpinionStatus
{
    /// <summary>Everyone who can see the consultation sees it.</summary>
    public const string Published = "published";

    /// <summary>It contains a sensitive word: only its author and staff see it until staff decide.</summary>
    public const string Held = "held";

    /// <summary>Enough residents reported it: hidden until staff decide.</summary>
    public const string Reported = "reported";

    /// <summary>Staff hid it, with a reason.</summary>
    public const string Hidden = "hidden";

    /// <summary>Waiting for a staff decision.</summary>
    public static readonly string[] AwaitingReview = [Held, Reported];
}

/// <summary>What a resident says to the proposal.</summary>
public static class Stances
{
    public const string Support = "support";
    public const string Oppose = "oppose";
    public const string Neutral = "neutral";

    public static readonly string[] All = [Support, Oppose, Neutral];
}

/// <summary>A resident's report of an opinion (<c>yishi_consultation_reports</c>): one per resident per opinion.</summary>
public sealed class OpinionReport
{
    public required string OpinionId { get; set; }

    public required string ReporterId { get; set; }

    public required string Reason { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A resident's scores in an evaluation (效果共评, <c>yishi_consultation_evaluations</c>): one per resident.</summary>
public sealed class Evaluation
{
    public required string ConsultationId { get; set; }

    public required string ResidentId { get; set; }

    /// <summary>JSON object: question id → 1 to 5.</summary>
    public required string Scores { get; set; }

    /// <summary>Seen by staff only.</summary>
    public string? Comment { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
