using Yishi.Engine.Privacy;
using Yishi.Server.Instances;

namespace Yishi.Server.CaseFiles;

/// <summary>The case file as its readers see it: its details, its parties and its records.</summary>
/// <param name="InstanceId">The case.</param>
/// <param name="Category">The kind of matter, e.g. 邻里纠纷; null until staff set it.</param>
/// <param name="Source">How it came in: <c>walk-in</c>, <c>hotline</c>, <c>grid</c>, <c>initiative</c> or <c>api</c>.</param>
/// <param name="RiskLevel"><c>low</c>, <c>medium</c> or <c>high</c>; null for residents, who see no risk assessment.</param>
/// <param name="EscalationRisk">Whether staff judge the dispute may escalate; null for residents.</param>
/// <param name="UpdatedAt">When the details last changed; null when they never were set.</param>
/// <param name="Parties">The parties, masked; a resident sees only themselves.</param>
/// <param name="Records">The records, oldest first.</param>
internal sealed record CaseFileView(string InstanceId, string? Category, string? Source, string? RiskLevel, bool? EscalationRisk, DateTimeOffset? UpdatedAt,
    IReadOnlyList<CasePartyEndpoints.PartyView> Parties, IReadOnlyList<RecordView> Records);

/// <summary>The case's details, all of them: a field left out (null) is cleared.</summary>
/// <param name="Category">The kind of matter, free text of at most 32 characters; suggested: 邻里纠纷, 婚姻家庭, 物业纠纷, 土地承包, 劳务纠纷, 其他.</param>
/// <param name="Source">How it came in: <c>walk-in</c>, <c>hotline</c>, <c>grid</c>, <c>initiative</c> or <c>api</c>.</param>
/// <param name="RiskLevel"><c>low</c>, <c>medium</c> or <c>high</c>.</param>
/// <param name="EscalationRisk">Whether the dispute may escalate (required, so that leaving it out never lowers it by accident).</param>
internal sealed record ChangeCaseFile(string? Category, string? Source, string? RiskLevel, bool? EscalationRisk);

/// <summary>A record to add to the case file.</summary>
/// <param name="Kind"><c>session</c> (minutes of a mediation session), <c>visit</c> or <c>note</c>.</param>
/// <param name="Title">A title, at most 200 characters.</param>
/// <param name="Text">What happened, at most 20,000 characters.</param>
/// <param name="HeldAt">When the session or visit took place; not in the future.</param>
/// <param name="Place">Where, at most 200 characters.</param>
/// <param name="Attendees">Who was there, as free text of at most 1,000 characters.</param>
internal sealed record AddRecord(string? Kind, string? Title, string? Text, DateTimeOffset? HeldAt, string? Place, string? Attendees);

/// <summary>A record of the case file.</summary>
/// <param name="Id">The record's id.</param>
/// <param name="Kind"><c>session</c>, <c>visit</c> or <c>note</c>.</param>
/// <param name="Title">Its title.</param>
/// <param name="Text">What was written.</param>
/// <param name="HeldAt">When the session or visit took place.</param>
/// <param name="Place">Where.</param>
/// <param name="Attendees">Who was there, as staff wrote it.</param>
/// <param name="Author">Who wrote it, masked as names are in lists.</param>
/// <param name="CreatedAt">When it was written.</param>
internal sealed record RecordView(string Id, string Kind, string Title, string Text, DateTimeOffset? HeldAt, string? Place, string? Attendees, string Author,
    DateTimeOffset CreatedAt)
{
    /// <summary>The view of <paramref name="record"/>, its author's name from <paramref name="names"/> (user id → display name).</summary>
    public static RecordView Of(CaseRecord record, IReadOnlyDictionary<string, string> names) =>
        new(record.Id, record.Kind, record.Title, record.Text, record.HeldAt, record.Place, record.Attendees,
            Masking.Name(names.GetValueOrDefault(record.AuthorId) ?? ""), record.CreatedAt);
}
