using System.Text.Json.Nodes;
using Yishi.Engine.Ballots;

namespace Yishi.Server.Ballots;

/// <summary>Where the signed-in person stands on a ballot.</summary>
/// <param name="OnRoll">Whether they are on the frozen roll.</param>
/// <param name="MayVoteOnline">On the roll and identity checked; an unchecked resident votes on paper.</param>
/// <param name="Voted">How their vote (or their household's) was cast: <c>online</c>, <c>paper</c>, or null.</param>
public sealed record BallotStanding(bool OnRoll, bool MayVoteOnline, string? Voted);

/// <summary>A ballot as residents and staff see it.</summary>
public sealed record BallotView(string Id, string InstanceId, JsonNode? Title, JsonNode? Questions, string Status, string Mode, string Rule, string RuleText,
    DateTimeOffset NoticeAt, DateOnly FrozenOn, DateTimeOffset OpensAt, DateTimeOffset ClosesAt, bool Secret, bool ResultsHidden, bool AllowChange, bool EarlyClose,
    int Electorate, string? Outcome, BallotStanding? Me)
{
    public static BallotView Of(BallotRecord ballot, DateTimeOffset now, string locale, BallotStanding? me) => new(ballot.Id, ballot.InstanceId,
        JsonNode.Parse(ballot.Title), JsonNode.Parse(ballot.Questions), BallotViews.Status(ballot, now), ballot.Mode, ballot.Rule, BallotViews.RuleText(ballot, locale),
        ballot.NoticeAt, ballot.FrozenOn, ballot.OpensAt, ballot.ClosesAt, ballot.Secret, ballot.ResultsHidden, ballot.AllowChange, ballot.EarlyClose, ballot.Electorate,
        ballot.Outcome, me);
}

/// <summary>The answer to a vote.</summary>
/// <param name="Receipt">The receipt code: keep it to check the vote was counted (and, where allowed, to change a secret vote).</param>
/// <param name="Changed">Whether an earlier vote was replaced.</param>
public sealed record VoteReceipt(string? Receipt, bool Changed);

/// <summary>What a vote sends.</summary>
/// <param name="Choices"><c>{"q1": "yes"}</c>, or a list of options for a multiple-choice question.</param>
/// <param name="Receipt">To change a secret vote: the receipt code of the vote being changed.</param>
public sealed record VoteRequest(System.Text.Json.JsonElement Choices, string? Receipt = null);

/// <summary>A closed ballot's result, or an open one's live count where the ballot shows it.</summary>
public sealed record BallotResultView(string BallotId, string Status, bool Provisional, JsonNode? Result, string? AuditHead, DateTimeOffset? ClosedAt);

/// <summary>What a receipt check says: the ballot was counted; never what it chose, so a receipt cannot prove a vote to a buyer.</summary>
public sealed record ReceiptCheck(string BallotId, bool Counted, string BallotStatus);

/// <summary>A person on the roll, for staff: masked, with whether (not how) they voted.</summary>
public sealed record ElectorRow(string UserId, string Name, string? Phone, string? Household, bool Verified, string? Voted);

/// <summary>Live turnout.</summary>
public sealed record TurnoutView(string BallotId, int Electorate, int Voted, int Online, int Paper, double Percent, string Status)
{
    /// <summary>The turnout now, from the turnout rows (who voted, never how).</summary>
    internal static async Task<TurnoutView> ReadAsync(Data.ServerDbContext db, BallotRecord ballot, string status, CancellationToken cancellationToken)
    {
        var byChannel = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(
            db.BallotTurnout.Where(t => t.BallotId == ballot.Id && t.Channel != null).GroupBy(t => t.Channel).Select(g => new { g.Key, Count = g.Count() }), cancellationToken);
        var online = byChannel.FirstOrDefault(c => c.Key == "online")?.Count ?? 0;
        var paper = byChannel.FirstOrDefault(c => c.Key == "paper")?.Count ?? 0;
        var percent = ballot.Electorate == 0 ? 0 : Math.Round(100.0 * (online + paper) / ballot.Electorate, 1);
        return new TurnoutView(ballot.Id, ballot.Electorate, online + paper, online, paper, percent, status);
    }
}

/// <summary>An officer records a resident who voted on paper.</summary>
public sealed record PaperVoterRequest(string UserId);

/// <summary>A batch of paper ballots as entered: each item is one ballot's choices.</summary>
public sealed record PaperBatchRequest(IReadOnlyList<System.Text.Json.JsonElement> Ballots);

/// <summary>A batch of paper ballots; its choices are shown while it waits for the second officer.</summary>
public sealed record PaperBatchView(string Id, string BallotId, int Count, string EnteredBy, DateTimeOffset EnteredAt, string Status, string? ConfirmedBy,
    IReadOnlyList<string>? Ballots);

/// <summary>Reminders queued.</summary>
public sealed record RemindersQueued(string BallotId, int NotYetVoted, string Template);

internal static class BallotViews
{
    /// <summary>The state by the clock: a ballot past its closing time is closed even before the closer has counted it.</summary>
    public static string Status(BallotRecord ballot, DateTimeOffset now) =>
        ballot.Status == BallotStates.Closed || now >= ballot.ClosesAt ? BallotStates.Closed
        : now >= ballot.OpensAt ? BallotStates.Open
        : BallotStates.Notice;

    /// <summary>The rule in plain words, with its source.</summary>
    public static string RuleText(BallotRecord ballot, string locale)
    {
        if (BallotCounter.Preset(ballot) is not { } rule)
        {
            return locale.StartsWith("en", StringComparison.OrdinalIgnoreCase)
                ? $"Custom rule: valid when {ballot.CustomQuorum ?? "anyone votes"}; carried when {ballot.CustomDecision}."
                : $"自定义规则：{ballot.CustomQuorum ?? "有人投票"} 时有效，{ballot.CustomDecision} 时通过。";
        }

        var en = locale.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        var quorum = rule.Quorum == Share.Any ? (en ? "no quorum" : "不设法定人数") : (en ? $"valid when {Words(rule.Quorum, en)} of the electorate vote" : $"{Words(rule.Quorum, en)}有表决权的人参加方为有效");
        var decision = en ? $"carried by {Words(rule.Decision, en)} of those who vote" : $"经到会人员{Words(rule.Decision, en)}同意方为通过";
        return en ? $"{quorum}; {decision} ({rule.Source.Get("en")})." : $"{quorum}，{decision}（{rule.Source.Get("zh-CN")}）。";
    }

    private static string Words(Share share, bool en) => (share.Numerator, share.Denominator, share.Inclusive, en) switch
    {
        (1, 2, false, true) => "more than half",
        (1, 2, false, false) => "过半数",
        (2, 3, true, true) => "two-thirds or more",
        (2, 3, true, false) => "三分之二以上",
        _ => share.ToString(),
    };
}
