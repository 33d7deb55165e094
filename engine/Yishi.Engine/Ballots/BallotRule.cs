using Yishi.Engine.Definitions;

namespace Yishi.Engine.Ballots;

/// <summary>Who a ballot counts: each adult, each household (through its representative), or the elected representatives.</summary>
public enum ElectorateMode
{
    /// <summary>One person, one vote (adults on the freeze date).</summary>
    Person,

    /// <summary>One household, one vote.</summary>
    Household,

    /// <summary>Village or residents' representatives only.</summary>
    Representatives,
}

/// <summary>The names definitions use for <see cref="ElectorateMode"/>.</summary>
public static class ElectorateModes
{
    /// <summary><c>person</c>, <c>household</c> or <c>representatives</c>; null for anything else.</summary>
    public static ElectorateMode? Parse(string? name) => name switch
    {
        "person" => ElectorateMode.Person,
        "household" => ElectorateMode.Household,
        "representatives" => ElectorateMode.Representatives,
        _ => null,
    };
}

/// <summary>How a ballot ended.</summary>
public enum BallotOutcome
{
    /// <summary>Quorum reached and the decision carried.</summary>
    Passed,

    /// <summary>Quorum reached, the decision did not carry.</summary>
    Rejected,

    /// <summary>Too few took part for the result to count.</summary>
    NoQuorum,
}

/// <summary>The count a decision is made from. An attendee is anyone who cast a ballot, abstentions included.</summary>
/// <param name="Electorate">How many may vote (persons, households or representatives, by the mode).</param>
/// <param name="Attendees">How many cast a ballot, online or on paper.</param>
/// <param name="Yes">Ballots for.</param>
/// <param name="No">Ballots against.</param>
/// <param name="Abstain">Ballots that abstain.</param>
public sealed record Tally(int Electorate, int Attendees, int Yes, int No, int Abstain);

/// <summary>
/// A ballot's rules: which quorum makes it valid, which share of the attendees carries the decision, and the
/// shortest notice. The presets follow the statutes (see <see cref="For"/>); where a statute is being revised (the
/// 居民委员会组织法, revised 2025) the numbers stay settings of the ballot rather than constants of the code.
/// </summary>
/// <param name="Preset">The preset's name: <c>villagers-assembly</c>, <c>village-representatives</c>, <c>residents-assembly</c>, <c>simple-majority</c>, <c>two-thirds</c>.</param>
/// <param name="Quorum">Share of the electorate that must take part.</param>
/// <param name="Decision">Share of the attendees whose "yes" carries it.</param>
/// <param name="MinimumNoticeDays">Shortest notice before voting opens, in days, if the law sets one.</param>
/// <param name="Source">Where the rule comes from, for the people who choose it.</param>
public sealed record BallotRule(string Preset, Share Quorum, Share Decision, int? MinimumNoticeDays, LocalizedText Source)
{
    /// <summary>The preset names, for the designer's list.</summary>
    public static readonly IReadOnlyList<string> Presets = ["villagers-assembly", "village-representatives", "residents-assembly", "simple-majority", "two-thirds"];

    /// <summary>
    /// A preset for an electorate mode, or null for an unknown name. 村民会议 (村民委员会组织法 Art 21–22): more than half
    /// of the adult villagers, or the representatives of two-thirds or more of the households, must take part; more
    /// than half of those present decide; notice at least 10 days before. 村民代表会议 (Art 26): two-thirds or more of
    /// the representatives present; more than half of them decide. 居民会议 (居民委员会组织法 Arts 9–10): more than half
    /// of the adult residents, or of the households' representatives; more than half of the attendees decide.
    /// </summary>
    public static BallotRule? For(string preset, ElectorateMode mode) => preset switch
    {
        "villagers-assembly" => new(preset, mode == ElectorateMode.Household ? Share.TwoThirdsOrMore : Share.MoreThanHalf, Share.MoreThanHalf, 10,
            LocalizedText.Of("《村民委员会组织法》第二十一、二十二条", "Organic Law of Villagers' Committees, Arts 21–22")),
        "village-representatives" => new(preset, Share.TwoThirdsOrMore, Share.MoreThanHalf, null,
            LocalizedText.Of("《村民委员会组织法》第二十六条", "Organic Law of Villagers' Committees, Art 26")),
        "residents-assembly" => new(preset, Share.MoreThanHalf, Share.MoreThanHalf, null,
            LocalizedText.Of("《城市居民委员会组织法》第九、十条", "Organic Law of Urban Residents' Committees, Arts 9–10")),
        "simple-majority" => new(preset, Share.Any, Share.MoreThanHalf, null, LocalizedText.Of("过半数通过，不设法定人数", "More than half of those voting; no quorum")),
        "two-thirds" => new(preset, Share.Any, Share.TwoThirdsOrMore, null, LocalizedText.Of("三分之二以上通过，不设法定人数", "Two-thirds or more of those voting; no quorum")),
        _ => null,
    };

    /// <summary>The outcome of a count under these rules.</summary>
    public BallotOutcome Decide(Tally tally) =>
        !Quorum.ReachedBy(tally.Attendees, tally.Electorate) || tally.Attendees == 0 ? BallotOutcome.NoQuorum
        : Decision.ReachedBy(tally.Yes, tally.Attendees) ? BallotOutcome.Passed
        : BallotOutcome.Rejected;

    /// <summary>Whether a notice of <paramref name="days"/> is long enough.</summary>
    public bool NoticeLongEnough(double days) => MinimumNoticeDays is not { } minimum || days >= minimum;
}
