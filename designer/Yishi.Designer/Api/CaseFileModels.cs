using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>A party of the case as the file lists it (masked by the server).</summary>
public sealed record CaseFileParty(string Id, string? UserId, string Role, string DisplayName, string? Phone, string? IdNumber, DateTimeOffset LinkedAt);

/// <summary>A record of the case file: minutes of a session, a visit or a note.</summary>
public sealed record CaseFileRecord(string Id, string Kind, string Title, string Text, DateTimeOffset? HeldAt, string? Place, string? Attendees, string Author,
    DateTimeOffset CreatedAt);

/// <summary>The case file: its details, parties and records; risk is null for readers who may not see it.</summary>
public sealed record CaseFileDetails(string InstanceId, string? Category, string? Source, string? RiskLevel, bool? EscalationRisk, DateTimeOffset? UpdatedAt,
    IReadOnlyList<CaseFileParty> Parties, IReadOnlyList<CaseFileRecord> Records);

/// <summary>The case's details, set whole.</summary>
public sealed record CaseDetailsChange(string? Category, string? Source, string? RiskLevel, bool EscalationRisk);

/// <summary>A record to add.</summary>
public sealed record NewCaseRecord(string Kind, string Title, string Text, DateTimeOffset? HeldAt, string? Place, string? Attendees);

/// <summary>A file of the case.</summary>
public sealed record CaseAttachmentRow(string Id, string InstanceId, string FileName, string ContentType, long Size, string Sha256, string? Description, string AddedBy,
    DateTimeOffset AddedAt);

/// <summary>A document the case produced (e.g. the mediation agreement).</summary>
public sealed record CaseDocumentRow(string Id, string InstanceId, string ActivityId, string Title, string TemplateKey, int TemplateVersion, string Locale, bool HasPdf,
    string? PdfError, string GeneratedBy, DateTimeOffset CreatedAt);

/// <summary>A session of a case (调解会 / 协商会).</summary>
public sealed record CaseSessionRow(string Id, string InstanceId, string Kind, DateTimeOffset StartsAt, string Place, string? Attendees, string? Note, string Status,
    string? CancelReason, int Revision, DateTimeOffset UpdatedAt);

/// <summary>What scheduling or moving a session sends.</summary>
public sealed record SessionPlan(string Kind, DateTimeOffset? StartsAt, string Place, string? Attendees, string? Note);

/// <summary>An open task of a case, with its deadline.</summary>
public sealed record CaseTaskRow(string Id, string InstanceId, string DefinitionId, string ActivityId, string? Role, string? UserId, DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt, JsonObject? Details);

/// <summary>A request for a later deadline and where it stands.</summary>
public sealed record ExtensionRow(string Id, string TaskId, string InstanceId, string By, string Reason, string Status, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt,
    DateTimeOffset? DueAt);

/// <summary>The answer to an extension request: applied at once (200) or waiting for a supervisor (202).</summary>
public sealed record ExtensionAnswer(bool Applied, ExtensionRow Request);

/// <summary>A ballot as staff see it.</summary>
public sealed record BallotRow(string Id, string InstanceId, JsonNode? Title, JsonNode? Questions, string Status, string Mode, string Rule, string RuleText,
    DateTimeOffset NoticeAt, DateOnly FrozenOn, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, bool Secret, int Electorate, string? Outcome);

/// <summary>A person on a ballot's roll, masked; whether (not how) they voted.</summary>
public sealed record ElectorRow(string UserId, string Name, string? Phone, string? Household, bool Verified, string? Voted);

/// <summary>How many on the roll have voted, online and on paper.</summary>
public sealed record TurnoutRow(string BallotId, int Electorate, int Voted, int Online, int Paper, double Percent, string Status);

/// <summary>A batch of paper ballots; a pending one shows its ballots for the second officer to compare with the papers.</summary>
public sealed record PaperBatchRow(string Id, string BallotId, int Count, string EnteredBy, DateTimeOffset EnteredAt, string Status, string? ConfirmedBy,
    IReadOnlyList<string>? Ballots);
