using Yishi.Engine.Ballots;

namespace Yishi.Designer.Components.Editors;

/// <summary>One preset in plain words: who votes, when the vote counts, what passes, how much notice, and which law says so.</summary>
public sealed record BallotRuleExplained(string Preset, string Name, string Voters, string Quorum, string Decision, string Notice, string Source);

/// <summary>
/// The ballot presets explained for the people who choose them. The numbers come from <see cref="BallotRule.For"/>, the same
/// rule the engine counts by, so the words cannot drift from the count.
/// </summary>
public static class BallotRuleWords
{
    /// <summary>The preset's everyday name, e.g. 村民会议.</summary>
    public static string Name(string preset, PageText text) => preset switch
    {
        "villagers-assembly" => text.T("村民会议", "Villagers' assembly"),
        "village-representatives" => text.T("村民代表会议", "Village representatives' assembly"),
        "residents-assembly" => text.T("居民会议", "Residents' assembly"),
        "simple-majority" => text.T("简单多数", "Simple majority"),
        "two-thirds" => text.T("三分之二多数", "Two-thirds majority"),
        "custom" => text.T("自定义规则", "Custom rule"),
        _ => preset,
    };

    /// <summary>A preset explained for an electorate mode; null for <c>custom</c> or an unknown name.</summary>
    public static BallotRuleExplained? Explain(string preset, ElectorateMode mode, PageText text)
    {
        if (BallotRule.For(preset, mode) is not { } rule)
        {
            return null;
        }

        var voters = Voters(mode, preset, text);
        var quorum = rule.Quorum.Numerator == 0
            ? text.T("不设法定人数：有人投票即有效。", "No quorum: the vote counts however many take part.")
            : text.T($"{Share(rule.Quorum, text)}的{voters}参加投票，表决才有效。", $"{Capital(Share(rule.Quorum, text))} of the {voters} must take part for the vote to count.");
        var decision = text.T($"参加投票的人中{Share(rule.Decision, text)}赞成即通过（弃权也算参加）。",
            $"It passes when {Share(rule.Decision, text)} of those who voted say yes (abstaining counts as voting).");
        var notice = rule.MinimumNoticeDays is { } days
            ? text.T($"投票开始前至少提前 {days} 天公告。", $"Notice at least {days} days before voting opens.")
            : text.T("法律未规定最短公告期，按本流程设置的公告期。", "The law sets no minimum notice; the notice period set here applies.");
        return new BallotRuleExplained(preset, Name(preset, text), text.T($"{Capital(voters)}，{ModeWords(mode, text)}", $"{Capital(voters)}: {ModeWords(mode, text)}"),
            quorum, decision, notice, rule.Source.Get(text.Locale));
    }

    /// <summary>A statute's share in its own words: 过半数, 三分之二以上; other shares as a fraction.</summary>
    public static string Share(Share share, PageText text) => (share.Numerator, share.Denominator, share.Inclusive) switch
    {
        (1, 2, false) => text.T("过半数", "more than half"),
        (1, 2, true) => text.T("半数以上", "half or more"),
        (2, 3, true) => text.T("三分之二以上", "two-thirds or more"),
        (2, 3, false) => text.T("超过三分之二", "more than two-thirds"),
        var (n, d, inclusive) => inclusive ? text.T($"{n}/{d} 以上", $"{n}/{d} or more") : text.T($"超过 {n}/{d}", $"more than {n}/{d}"),
    };

    private static string Voters(ElectorateMode mode, string preset, PageText text)
    {
        var village = preset.StartsWith("village", StringComparison.Ordinal);
        return mode switch
        {
            ElectorateMode.Household => text.T("户代表", "household representatives"),
            ElectorateMode.Representatives => village ? text.T("村民代表", "village representatives") : text.T("代表", "representatives"),
            _ => preset == "residents-assembly" ? text.T("年满十八周岁的居民", "adult residents")
                : village ? text.T("年满十八周岁的村民", "adult villagers")
                : text.T("有投票权的人", "voters"),
        };
    }

    private static string ModeWords(ElectorateMode mode, PageText text) => mode switch
    {
        ElectorateMode.Household => text.T("每户一票", "one vote per household"),
        ElectorateMode.Representatives => text.T("代表每人一票", "one vote per representative"),
        _ => text.T("每人一票（以公告之日年满十八周岁为准）", "one vote per person (18 or over on the day notice is given)"),
    };

    private static string Capital(string words) => words.Length > 0 && char.IsAsciiLetterLower(words[0]) ? char.ToUpperInvariant(words[0]) + words[1..] : words;
}
