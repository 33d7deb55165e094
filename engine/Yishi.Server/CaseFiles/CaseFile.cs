namespace Yishi.Server.CaseFiles;

/// <summary>
/// What staff record about a case beside its workflow: its category, where it came from, how risky it is and whether
/// it may escalate. One row per case, made the first time someone writes it; a case without one has nothing recorded yet.
/// </summary>
public sealed class CaseFile
{
    public required string InstanceId { get; set; }

    /// <summary>The kind of dispute or matter, e.g. 邻里纠纷 (<see cref="CaseVocabulary.SuggestedCategories"/>); free text.</summary>
    public string? Category { get; set; }

    /// <summary>How the case reached the committee (<see cref="CaseVocabulary.Sources"/>).</summary>
    public string? Source { get; set; }

    /// <summary><c>low</c>, <c>medium</c> or <c>high</c> (<see cref="CaseVocabulary.RiskLevels"/>).</summary>
    public string? RiskLevel { get; set; }

    /// <summary>Whether staff judge the dispute may escalate (激化风险): the supervisor and police liaison are to hear of it.</summary>
    public bool EscalationRisk { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public required string UpdatedBy { get; set; }
}

/// <summary>
/// A record in the case file: the minutes of a mediation session, a visit to the parties or the site, or a note. Records
/// are only added, never edited, so the file shows what was written when.
/// </summary>
public sealed class CaseRecord
{
    /// <summary>Time-ordered, so a case's records list in the order they were written.</summary>
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    /// <summary><c>session</c>, <c>visit</c> or <c>note</c> (<see cref="CaseVocabulary.RecordKinds"/>), or a party's <c>rating</c> (<see cref="CaseRatingEndpoints"/>).</summary>
    public required string Kind { get; set; }

    public required string Title { get; set; }

    public required string Text { get; set; }

    /// <summary>When the session or visit took place; null for a note.</summary>
    public DateTimeOffset? HeldAt { get; set; }

    public string? Place { get; set; }

    /// <summary>Who was there, as written by staff (names, roles).</summary>
    public string? Attendees { get; set; }

    /// <summary>The user who wrote the record.</summary>
    public required string AuthorId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
