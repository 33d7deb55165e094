namespace Yishi.Server.Ballots;

/// <summary>A ballot as the host runs it: its settings copied from the activity at notice, its state and, once closed, its result.</summary>
public sealed class BallotRecord
{
    /// <summary>The engine's outbox row id for the Ballot step.</summary>
    public required string Id { get; set; }

    public required string InstanceId { get; set; }

    public required string ActivityId { get; set; }

    /// <summary>The workflow and version, whose publication pins the templates of the ballot's notices.</summary>
    public required string DefinitionId { get; set; }

    public int DefinitionVersion { get; set; }

    /// <summary>The org unit whose residents vote.</summary>
    public required string OrgUnitId { get; set; }

    /// <summary>That unit's path (<c>/s1/c1/</c>): staff of the unit and the units above run it.</summary>
    public required string OrgPath { get; set; }

    /// <summary>The matter voted on (JSON: a string or per language).</summary>
    public required string Title { get; set; }

    /// <summary>The questions (JSON list, see <c>BallotQuestion.ToJson</c>).</summary>
    public required string Questions { get; set; }

    /// <summary><c>person</c>, <c>household</c> or <c>representatives</c>.</summary>
    public required string Mode { get; set; }

    /// <summary>A preset name or <c>custom</c>.</summary>
    public required string Rule { get; set; }

    public string? CustomQuorum { get; set; }

    public string? CustomDecision { get; set; }

    public bool Secret { get; set; }

    public bool ResultsHidden { get; set; }

    public bool AllowChange { get; set; }

    public bool EarlyClose { get; set; }

    /// <summary>When notice was given and the electorate frozen.</summary>
    public DateTimeOffset NoticeAt { get; set; }

    /// <summary>The local date of the notice: adulthood is judged on it.</summary>
    public DateOnly FrozenOn { get; set; }

    public DateTimeOffset OpensAt { get; set; }

    public DateTimeOffset ClosesAt { get; set; }

    /// <summary><c>notice</c>, <c>open</c> or <c>closed</c>.</summary>
    public required string Status { get; set; }

    /// <summary>How many may vote: persons, households or representatives.</summary>
    public int Electorate { get; set; }

    /// <summary><c>passed</c>, <c>rejected</c> or <c>no_quorum</c> once closed.</summary>
    public string? Outcome { get; set; }

    /// <summary>The result (JSON) once closed.</summary>
    public string? Result { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>The audit chain's head after the closing entry, printed on the result notice.</summary>
    public string? AuditHead { get; set; }

    /// <summary>The last tenth of the electorate the turnout passed that the audit log recorded (0–10).</summary>
    public int TurnoutMilestone { get; set; }

    /// <summary>The variable the activity stores the result in, if any.</summary>
    public string? ResultVariable { get; set; }

    /// <summary>Whether the case has been resumed with the result (done once, also after a crash between closing and resuming).</summary>
    public bool Resumed { get; set; }

    /// <summary>Bumped on every change of state, so two closers cannot both close it.</summary>
    public int Version { get; set; }
}

/// <summary>
/// A person on a ballot's frozen roll: who may cast a ballot, and for which count (themselves, or their household).
/// Written once at notice and never changed, so moving away or registering after the freeze changes nothing.
/// </summary>
public sealed class BallotVoterRecord
{
    public required string BallotId { get; set; }

    public required string UserId { get; set; }

    /// <summary>What one vote counts for: the user id, or the household id in household mode.</summary>
    public required string CountKey { get; set; }

    /// <summary>Whether staff had checked the person's identity at the freeze: only they may vote online.</summary>
    public bool Verified { get; set; }
}

/// <summary>
/// Who voted: one row per count (person or household) of the electorate, made at notice with no channel, and marked
/// <c>online</c> or <c>paper</c> by the vote. Nothing in it points at a choice, and it holds no time.
/// </summary>
public sealed class BallotTurnoutRecord
{
    public required string BallotId { get; set; }

    public required string CountKey { get; set; }

    /// <summary>Null until voted; then <c>online</c> or <c>paper</c>.</summary>
    public string? Channel { get; set; }
}

/// <summary>
/// What was chosen: one slot per member of the electorate, made at notice under random ids and filled by a vote in a
/// slot picked at random. On a secret ballot nothing in it names the voter, and it holds no time; its only link to a
/// person is the hash of the receipt code that only the voter holds.
/// </summary>
public sealed class BallotSlotRecord
{
    public required string BallotId { get; set; }

    /// <summary>Random, so neither the key nor the storage order follows the order of voting.</summary>
    public required string SlotId { get; set; }

    /// <summary>The packed choices (see <c>BallotChoices</c>); null while the slot is empty.</summary>
    public string? Choices { get; set; }

    /// <summary>SHA-256 of the ballot id and the receipt code; null for paper ballots.</summary>
    public string? ReceiptHash { get; set; }

    /// <summary>The count key, on open (non-secret) ballots only.</summary>
    public string? Voter { get; set; }
}

/// <summary>An open ballot's earlier choices: changing a vote replaces it and keeps what it was.</summary>
public sealed class BallotVoteChange
{
    public required string Id { get; set; }

    public required string BallotId { get; set; }

    public required string CountKey { get; set; }

    /// <summary>The choices replaced.</summary>
    public required string Choices { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>Paper ballots entered by one officer; they count once a second officer confirms them.</summary>
public sealed class PaperBatchRecord
{
    public required string Id { get; set; }

    public required string BallotId { get; set; }

    /// <summary>The packed choices of each paper ballot in the batch (JSON list), in no voter's order.</summary>
    public required string Ballots { get; set; }

    public int Count { get; set; }

    public required string EnteredBy { get; set; }

    public DateTimeOffset EnteredAt { get; set; }

    public string? ConfirmedBy { get; set; }

    public DateTimeOffset? ConfirmedAt { get; set; }

    /// <summary><c>pending</c>, <c>confirmed</c> or <c>rejected</c>.</summary>
    public required string Status { get; set; }
}
