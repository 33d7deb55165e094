namespace Yishi.Server.Consultations;

/// <summary>
/// A consultation residents take part in (<c>yishi_consultations</c>): made from the engine's Consultation outbox row,
/// whose id it keeps, so making it twice is impossible. Open until its closing time (or an early close by staff),
/// then closed with its counts frozen, then summed up by staff, which moves the case on.
/// </summary>
public sealed class Consultation
{
    /// <summary>The engine outbox row's id; the workflow and the bookmark know the consultation by it.</summary>
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    public required string ActivityId { get; set; }

    public required string DefinitionId { get; set; }

    public int DefinitionVersion { get; set; }

    /// <summary>The case's org path (<c>/s1/c1/</c>): residents of that unit and the units below take part. Null reaches admins only.</summary>
    public string? Scope { get; set; }

    public required string Topic { get; set; }

    public string? Description { get; set; }

    /// <summary><c>opinions</c> or <c>evaluation</c>.</summary>
    public required string Kind { get; set; }

    /// <summary>JSON list of <c>{"name", "url"}</c> links and <c>{"document"}</c> case documents.</summary>
    public required string Attachments { get; set; }

    /// <summary>JSON list of <c>{"id", "text"}</c> (evaluations).</summary>
    public required string Questions { get; set; }

    /// <summary>JSON list of words that hold an opinion for review. Not shown to residents.</summary>
    public required string SensitiveWords { get; set; }

    public int ReportThreshold { get; set; }

    public DateTimeOffset OpensAt { get; set; }

    public DateTimeOffset ClosesAt { get; set; }

    /// <summary><see cref="ClosesAt"/> as Unix milliseconds: what the closing sweep compares (SQLite stores DateTimeOffset as text).</summary>
    public long ClosesAtMs { get; set; }

    /// <summary>See <see cref="ConsultationStatus"/>.</summary>
    public required string Status { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The staff member who closed it early, or <c>system</c> at its closing time.</summary>
    public string? ClosedBy { get; set; }

    /// <summary>The counts frozen at close (JSON object), which the summary passes on to the case.</summary>
    public string? Tally { get; set; }

    public string? Summary { get; set; }

    public DateTimeOffset? SummaryAt { get; set; }

    public string? SummaryBy { get; set; }

    /// <summary>The bookmark the case waits on; null when the case no longer waited when the consultation was made.</summary>
    public string? BookmarkId { get; set; }

    /// <summary>The case was resumed with the summary (or no longer waited for it).</summary>
    public bool Resumed { get; set; }

    /// <summary>Concurrency token: status changes from two requests or two server processes cannot both win.</summary>
    public int Version { get; set; }

    /// <summary>Open for opinions and evaluations at <paramref name="now"/>: not closed, and its closing time not yet reached (the sweep may lag).</summary>
    public bool IsOpenAt(DateTimeOffset now) => Status == ConsultationStatus.Open && now.ToUnixTimeMilliseconds() < ClosesAtMs;
}

/// <summary>The life of a consultation.</summary>
public static class ConsultationStatus
{
    public const string Open = "open";
    public const string Closed = "closed";

    /// <summary>Staff published the summary; the case goes on.</summary>
    public const string Summarized = "summarized";
}
