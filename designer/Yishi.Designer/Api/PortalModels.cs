using System.Text.Json.Nodes;

namespace Yishi.Designer.Api;

/// <summary>A message in the resident's in-app inbox.</summary>
public sealed record InboxMessage(string Id, string Kind, string Title, string Body, string? Link, DateTimeOffset CreatedAt, DateTimeOffset? ReadAt)
{
    public bool Unread => ReadAt is null;
}

/// <summary>A case the resident is party to, as the list shows it.</summary>
public sealed record MyCaseRow(string Id, string DefinitionId, string Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt);

/// <summary>One line of a case's story in plain words, as the server tells it to a party.</summary>
public sealed record CaseStoryLine(long Sequence, DateTimeOffset At, string Kind, string Text);

/// <summary>Where the resident stands on a ballot.</summary>
public sealed record BallotStandingView(bool OnRoll, bool MayVoteOnline, string? Voted);

/// <summary>A ballot as a voter reads it.</summary>
public sealed record VoterBallot(string Id, string InstanceId, JsonNode? Title, JsonNode? Questions, string Status, string Mode, string RuleText,
    DateTimeOffset NoticeAt, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, bool Secret, bool ResultsHidden, bool AllowChange, int Electorate, string? Outcome,
    BallotStandingView? Me);

/// <summary>The receipt of a vote.</summary>
public sealed record PortalVoteReceipt(string? Receipt, bool Changed);

/// <summary>Whether a ballot with a receipt code was counted.</summary>
public sealed record PortalReceiptCheck(string BallotId, bool Counted, string BallotStatus);

/// <summary>A consultation in the resident's list.</summary>
public sealed record PortalConsultationRow(string Id, string Topic, string Kind, string Status, bool Open, DateTimeOffset OpensAt, DateTimeOffset ClosesAt);

/// <summary>A question of a consultation's evaluation (效果共评).</summary>
public sealed record PortalEvaluationQuestion(string Id, string Text);

/// <summary>The resident's own opinion on a consultation.</summary>
public sealed record PortalOpinion(string Id, string Stance, string Text, string Status, string? Note);

/// <summary>A consultation as its page shows it.</summary>
public sealed record ResidentConsultation(string Id, string Topic, string? Description, string Kind, string Status, bool Open, DateTimeOffset OpensAt,
    DateTimeOffset ClosesAt, JsonNode? Attachments, IReadOnlyList<PortalEvaluationQuestion> Questions, string? Summary, PortalOpinion? MyOpinion, bool Evaluated);

/// <summary>The server's refusal, with its stable problem name (the end of its <c>type</c>) for plain words.</summary>
public sealed record PortalRefusal(int Status, string Name, string Title, string? Detail);

/// <summary>An answer or the server's refusal.</summary>
public sealed record PortalResult<T>(T? Value, PortalRefusal? Refusal)
{
    public bool Succeeded => Refusal is null;
}

/// <summary>Whether a case asks the resident for their rating now, and the rating they gave.</summary>
public sealed record MyCaseRating(string InstanceId, bool Open, string? Rating, string? Comment, DateTimeOffset? RatedAt);
