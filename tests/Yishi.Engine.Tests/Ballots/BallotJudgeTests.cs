using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using Yishi.Engine.Ballots;
using Yishi.Engine.Expressions;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Ballots;

/// <summary>
/// Counting grouped packed ballots and deciding: quorum first (到会人数), then each question by the share of the attendees.
/// Counts are written as <c>packed*count / packed*count</c>; every expected outcome is worked out by hand from the statute.
/// </summary>
public sealed class BallotJudgeTests
{
    private static readonly ExpressionEngine Expressions = new();

    private static readonly ImmutableArray<BallotQuestion> Motion = Questions(null);

    private static ImmutableArray<BallotQuestion> Questions(string? json)
    {
        var questions = BallotQuestion.ReadList(json is null ? null : JsonElement.Parse(json), null, (at, message) => Assert.Fail($"{at}: {message}"));
        Assert.NotEmpty(questions);
        return questions;
    }

    /// <summary><c>"q1=yes*26 / q1=*3"</c>: 26 ballots for, 3 blank.</summary>
    private static List<(string Packed, int Count)> Groups(string counts) =>
        counts.Length == 0
            ? []
            : [.. counts.Split(" / ").Select(g => (g[..g.LastIndexOf('*')], int.Parse(g[(g.LastIndexOf('*') + 1)..], CultureInfo.InvariantCulture)))];

    private static BallotJudge Preset(string preset, ElectorateMode mode) => new(BallotRule.For(preset, mode)!, null, null, Expressions);

    private static BallotResult Decide(BallotJudge judge, IReadOnlyList<BallotQuestion> questions, string counts, int electorate) =>
        judge.Decide(questions, Groups(counts), electorate, TestEngine.Epoch);

    [Theory]
    // 村民会议，一人一票: more than half of 100 adults take part (51; 50 is not more than half); more than half of those present agree.
    [InlineData(ElectorateMode.Person, 100, "q1=yes*50", "no_quorum", 50)]
    [InlineData(ElectorateMode.Person, 100, "q1=yes*26 / q1=no*25", "passed", 51)]
    [InlineData(ElectorateMode.Person, 100, "q1=yes*25 / q1=no*26", "rejected", 51)]
    [InlineData(ElectorateMode.Person, 100, "q1=yes*26 / q1=abstain*25", "passed", 51)]
    [InlineData(ElectorateMode.Person, 100, "q1=yes*25 / q1=abstain*26", "rejected", 51)]
    [InlineData(ElectorateMode.Person, 101, "q1=yes*51", "passed", 51)]
    [InlineData(ElectorateMode.Person, 101, "q1=yes*30 / q1=no*20", "no_quorum", 50)]
    // 按户，户代表: two-thirds or more of 30 households (20 is exactly two-thirds and enough, 19 is not); of 31, 21 (20⅔ rounds up).
    [InlineData(ElectorateMode.Household, 30, "q1=yes*11 / q1=no*9", "passed", 20)]
    [InlineData(ElectorateMode.Household, 30, "q1=yes*10 / q1=no*10", "rejected", 20)]
    [InlineData(ElectorateMode.Household, 30, "q1=yes*19", "no_quorum", 19)]
    [InlineData(ElectorateMode.Household, 31, "q1=yes*21", "passed", 21)]
    [InlineData(ElectorateMode.Household, 31, "q1=yes*20", "no_quorum", 20)]
    public void VillagersAssembly_AtItsEdges(ElectorateMode mode, int electorate, string counts, string outcome, int attendees)
    {
        var result = Decide(Preset("villagers-assembly", mode), Motion, counts, electorate);

        Assert.Equal((outcome, electorate, attendees), (result.OutcomeName, result.Electorate, result.Attendees));
    }

    [Theory]
    // 村民代表会议: two-thirds or more of the representatives present (20 of 30, 21 of 31); more than half of them agree.
    [InlineData(30, "q1=yes*11 / q1=no*9", "passed")]
    [InlineData(30, "q1=yes*10 / q1=*10", "rejected")]
    [InlineData(30, "q1=yes*19", "no_quorum")]
    [InlineData(31, "q1=yes*11 / q1=no*10", "passed")]
    [InlineData(31, "q1=yes*20", "no_quorum")]
    public void VillageRepresentatives_AtItsEdges(int electorate, string counts, string outcome) =>
        Assert.Equal(outcome, Decide(Preset("village-representatives", ElectorateMode.Representatives), Motion, counts, electorate).OutcomeName);

    [Theory]
    // 居民会议: more than half of the adult residents, or of the households' representatives, take part; more than half agree.
    [InlineData(ElectorateMode.Person, "q1=yes*100", "no_quorum")]
    [InlineData(ElectorateMode.Person, "q1=yes*51 / q1=no*50", "passed")]
    [InlineData(ElectorateMode.Person, "q1=yes*50 / q1=*51", "rejected")]
    [InlineData(ElectorateMode.Household, "q1=yes*100", "no_quorum")]
    [InlineData(ElectorateMode.Household, "q1=yes*51 / q1=abstain*50", "passed")]
    [InlineData(ElectorateMode.Household, "q1=yes*50 / q1=no*1 / q1=abstain*50", "rejected")]
    public void ResidentsAssembly_AtItsEdges(ElectorateMode mode, string counts, string outcome) =>
        Assert.Equal(outcome, Decide(Preset("residents-assembly", mode), Motion, counts, 200).OutcomeName);

    [Theory]
    // 过半数，不设法定人数: one ballot of a thousand is enough to count; exactly half is not more than half.
    [InlineData("simple-majority", "q1=yes*1", "passed")]
    [InlineData("simple-majority", "q1=yes*1 / q1=no*1", "rejected")]
    [InlineData("simple-majority", "q1=yes*2 / q1=*1", "passed")]
    [InlineData("simple-majority", "q1=yes*2 / q1=*2", "rejected")]
    [InlineData("simple-majority", "q1=yes*500 / q1=no*499 / q1=abstain*1", "rejected")]
    // 三分之二以上: exactly two-thirds carries.
    [InlineData("two-thirds", "q1=yes*6 / q1=no*3", "passed")]
    [InlineData("two-thirds", "q1=yes*5 / q1=no*4", "rejected")]
    [InlineData("two-thirds", "q1=yes*2 / q1=abstain*1", "passed")]
    [InlineData("two-thirds", "q1=yes*20 / q1=*10", "passed")]
    [InlineData("two-thirds", "q1=yes*19 / q1=no*1 / q1=*10", "rejected")]
    public void PresetsWithoutQuorum_AtTheirEdges(string preset, string counts, string outcome) =>
        Assert.Equal(outcome, Decide(Preset(preset, ElectorateMode.Person), Motion, counts, 1000).OutcomeName);

    [Theory]
    // 空白票: a ballot that answered nothing attended and abstains, so it weighs against "yes" like an abstention.
    [InlineData("q1=yes*5 / q1=no*4 / q1=*1", 10, 1, "rejected")]
    [InlineData("q1=yes*5 / q1=no*4", 9, 0, "passed")]
    [InlineData("q1=yes*6 / q1=no*3 / q1=*1 / q1=abstain*1", 11, 1, "passed")]
    [InlineData("q1=yes*6 / q1=no*3 / q1=*2 / q1=abstain*1", 12, 2, "rejected")]
    public void BlankAnswers_CountAsAttendingAndAbstaining(string counts, int attendees, int blank, string outcome)
    {
        var result = Decide(Preset("simple-majority", ElectorateMode.Person), Motion, counts, 100);

        Assert.Equal((outcome, attendees), (result.OutcomeName, result.Attendees));
        Assert.Equal(blank, Assert.Single(result.Questions).Blank);
    }

    [Theory]
    [InlineData("villagers-assembly", ElectorateMode.Person)]
    [InlineData("villagers-assembly", ElectorateMode.Household)]
    [InlineData("village-representatives", ElectorateMode.Representatives)]
    [InlineData("residents-assembly", ElectorateMode.Person)]
    [InlineData("simple-majority", ElectorateMode.Person)]
    [InlineData("two-thirds", ElectorateMode.Person)]
    public void NobodyVoted_IsNoQuorum_EvenWithoutAQuorumRule(string preset, ElectorateMode mode)
    {
        foreach (var counts in new[] { "", "q1=yes*0" })
        {
            var result = Decide(Preset(preset, mode), Motion, counts, 0);

            Assert.Equal(BallotOutcome.NoQuorum, result.Outcome);
            Assert.Equal(0, result.Attendees);
            var question = Assert.Single(result.Questions);
            Assert.Empty(question.Carried);
            Assert.False(question.Passed);
            Assert.All(question.Counts.Values, c => Assert.Equal(0, c));
        }
    }

    [Fact]
    public void NoQuorum_CarriesNothing_EvenWhenEveryoneWhoCameSaidYes()
    {
        var result = Decide(Preset("villagers-assembly", ElectorateMode.Person), Motion, "q1=yes*50", 100);

        var question = Assert.Single(result.Questions);
        Assert.Equal(50, question.Counts["yes"]);
        Assert.Empty(question.Carried);
    }

    private const string TwoMotions = """[ { "id": "road", "text": "村道硬化" }, { "id": "lights", "text": "安装路灯" } ]""";

    [Theory]
    // 多项表决: the ballot passes only if every question passes.
    [InlineData("road=yes;lights=yes*6 / road=no;lights=no*4", "passed", "yes", "yes", 0)]
    [InlineData("road=yes;lights=no*6 / road=no;lights=yes*4", "rejected", "yes", "", 0)]
    [InlineData("road=no;lights=yes*6 / road=yes;lights=yes*4", "rejected", "", "yes", 0)]
    [InlineData("road=yes;lights=*6 / road=no;lights=yes*4", "rejected", "yes", "", 6)]
    [InlineData("road=yes;lights=yes*5 / road=yes;lights=*1 / road=no;lights=no*4", "rejected", "yes", "", 1)]
    // A ballot text that leaves a question out altogether abstains on it too.
    [InlineData("road=yes;lights=yes*5 / road=yes*1 / road=no;lights=no*4", "rejected", "yes", "", 1)]
    public void MultipleQuestions_PassOnlyIfEveryQuestionPasses(string counts, string outcome, string roadCarried, string lightsCarried, int lightsBlank)
    {
        var result = Decide(Preset("simple-majority", ElectorateMode.Person), Questions(TwoMotions), counts, 100);

        Assert.Equal(outcome, result.OutcomeName);
        Assert.Equal(["road", "lights"], result.Questions.Select(q => q.Id));
        Assert.Equal(roadCarried, string.Join(",", result.Questions[0].Carried));
        Assert.Equal(lightsCarried, string.Join(",", result.Questions[1].Carried));
        Assert.Equal(lightsBlank, result.Questions[1].Blank);
        Assert.Equal(roadCarried.Length > 0, result.Questions[0].Passed);
        Assert.Equal(lightsCarried.Length > 0, result.Questions[1].Passed);
    }

    private const string Members = """[ { "id": "members", "text": "选举村务监督委员会成员", "options": [ "zhang", "li", "wang" ], "maxChoices": 2 } ]""";

    [Theory]
    // 选举 (two of three): each option is counted once per ballot that chose it; every option chosen by more than half carries.
    [InlineData("simple-majority", "members=zhang,li*4 / members=zhang*2 / members=wang*3 / members=*1", "zhang", "zhang:6 li:4 wang:3", 1)]
    [InlineData("simple-majority", "members=zhang,li*5 / members=wang*5", "", "zhang:5 li:5 wang:5", 0)]
    [InlineData("simple-majority", "members=zhang,li*6 / members=li,wang*4", "zhang,li", "zhang:6 li:10 wang:4", 0)]
    [InlineData("simple-majority", "members=li,wang*6 / members=zhang,li*5", "li,wang", "zhang:5 li:11 wang:6", 0)]
    [InlineData("two-thirds", "members=zhang,li*6 / members=li*3", "zhang,li", "zhang:6 li:9 wang:0", 0)]
    [InlineData("two-thirds", "members=zhang,li*5 / members=li*3 / members=*1", "li", "zhang:5 li:8 wang:0", 1)]
    public void AChoice_CarriesEachOptionReachingTheDecisionShare_InTheBallotsOrder(string preset, string counts, string carried, string optionCounts, int blank)
    {
        var result = Decide(Preset(preset, ElectorateMode.Person), Questions(Members), counts, 1000);

        var question = Assert.Single(result.Questions);
        Assert.Equal(carried, string.Join(",", question.Carried));
        Assert.Equal(optionCounts, string.Join(" ", Questions(Members)[0].Options.Select(o => $"{o}:{question.Counts[o]}")));
        Assert.Equal(3, question.Counts.Count);
        Assert.Equal(blank, question.Blank);
        Assert.Equal(carried.Length > 0 ? BallotOutcome.Passed : BallotOutcome.Rejected, result.Outcome);
    }

    [Theory]
    // A choice's own "abstain" option is never carried, however many choose it.
    [InlineData("lights=abstain*6 / lights=solar*4", "", "rejected")]
    [InlineData("lights=abstain*4 / lights=solar*6", "solar", "passed")]
    [InlineData("lights=abstain*1 / lights=solar*5 / lights=grid*4", "", "rejected")]
    public void AChoicesAbstainOption_IsNeverCarried(string counts, string carried, string outcome)
    {
        var questions = Questions("""[ { "id": "lights", "text": "路灯方案", "options": [ "solar", "grid", "abstain" ] } ]""");

        var result = Decide(Preset("simple-majority", ElectorateMode.Person), questions, counts, 100);

        Assert.Equal((carried, outcome), (string.Join(",", Assert.Single(result.Questions).Carried), result.OutcomeName));
    }

    [Fact]
    public void AMotionAndAChoiceOnOneBallot_PassOnlyTogether()
    {
        var questions = Questions("""[ { "id": "road", "text": "村道硬化" }, { "id": "members", "text": "选举", "options": [ "zhang", "li", "wang" ], "maxChoices": 2 } ]""");
        var judge = Preset("simple-majority", ElectorateMode.Person);

        var both = Decide(judge, questions, "road=yes;members=zhang,li*6 / road=no;members=wang*4", 100);
        var motionOnly = Decide(judge, questions, "road=yes;members=zhang*5 / road=yes;members=li*1 / road=no;members=wang*4", 100);

        Assert.Equal(("passed", "yes", "zhang,li"), (both.OutcomeName, string.Join(",", both.Questions[0].Carried), string.Join(",", both.Questions[1].Carried)));
        Assert.Equal(("rejected", "yes", ""), (motionOnly.OutcomeName, string.Join(",", motionOnly.Questions[0].Carried), string.Join(",", motionOnly.Questions[1].Carried)));
    }

    private static BallotJudge Custom(string? quorum, string? decision) => new(null, quorum, decision, new ExpressionEngine());

    [Theory]
    // 自定义: quorum "attendees * 2 > electorate" (more than half), decision "yes * 3 >= attendees * 2" (two-thirds or more).
    [InlineData(10, "q1=yes*5", "no_quorum")]
    [InlineData(10, "q1=yes*4 / q1=no*2", "passed")]
    [InlineData(10, "q1=yes*3 / q1=no*3", "rejected")]
    [InlineData(10, "q1=yes*4 / q1=*2", "passed")]
    [InlineData(10, "q1=yes*4 / q1=*3", "rejected")]
    [InlineData(11, "q1=yes*6", "passed")]
    [InlineData(11, "q1=yes*5", "no_quorum")]
    [InlineData(11, "", "no_quorum")]
    public void CustomRule_AtItsEdges(int electorate, string counts, string outcome) =>
        Assert.Equal(outcome, Decide(Custom("attendees * 2 > electorate", "yes * 3 >= attendees * 2"), Motion, counts, electorate).OutcomeName);

    [Theory]
    // The decision reads no and abstain too; abstain is the "abstain" option plus the blank answers.
    [InlineData("q1=yes*5 / q1=no*3 / q1=abstain*1 / q1=*1", "rejected")]
    [InlineData("q1=yes*6 / q1=no*3 / q1=abstain*1", "passed")]
    [InlineData("q1=yes*5 / q1=no*3 / q1=*2", "rejected")]
    public void CustomDecision_ReadsNoAndAbstain(string counts, string outcome) =>
        Assert.Equal(outcome, Decide(Custom(null, "yes > no + abstain"), Motion, counts, 100).OutcomeName);

    [Fact]
    public void CustomRule_SeesTheExactCounts()
    {
        // 5 for, 3 against, 1 abstention and 1 blank ballot, of 40 on the roll.
        var judge = Custom("electorate == 40 && attendees == 10", "yes == 5 && no == 3 && abstain == 2 && attendees == 10 && electorate == 40");

        Assert.Equal(BallotOutcome.Passed, Decide(judge, Motion, "q1=yes*5 / q1=no*3 / q1=abstain*1 / q1=*1", 40).Outcome);
        Assert.Equal(BallotOutcome.NoQuorum, Decide(judge, Motion, "q1=yes*5 / q1=no*3 / q1=abstain*1 / q1=*1", 41).Outcome);
    }

    [Fact]
    public void CustomDecision_OnAChoice_ReadsTheOptionAsYes_AndTheOtherBallotsAsNo()
    {
        // 7 ballots: zhang 4, li 5, wang 0, 1 blank. For zhang no = 7 - 4 - 1 = 2; for li 1; for wang 6.
        var result = Decide(Custom(null, "yes > no * 2"), Questions(Members), "members=zhang,li*3 / members=zhang*1 / members=li*2 / members=*1", 100);

        Assert.Equal("li", string.Join(",", Assert.Single(result.Questions).Carried));
        Assert.Equal(BallotOutcome.Passed, result.Outcome);
    }

    [Fact]
    public void CustomRule_WithoutAQuorum_CountsAnyoneWhoVoted_ButNotNobody()
    {
        var judge = Custom(null, "yes > no");

        Assert.Equal(BallotOutcome.Passed, Decide(judge, Motion, "q1=yes*1", 1000).Outcome);
        Assert.Equal(BallotOutcome.Rejected, Decide(judge, Motion, "q1=no*1", 1000).Outcome);
        Assert.Equal(BallotOutcome.NoQuorum, Decide(judge, Motion, "", 1000).Outcome);
    }

    [Theory]
    [InlineData("attendees * 2 > electorate", "yes * 3 >=")]
    [InlineData("attendees * 2 >", "yes * 3 >= attendees * 2")]
    [InlineData("attendees * 2 > electorate", "yes ==== 1")]
    [InlineData("attendees * 2 > electorate", "yes / 0 > (1")]
    [InlineData("attendees * 2 > electorate", "string.to_int 1 2 3")]
    [InlineData("attendees * 2 > electorate", "yes // 0 > 1")]
    public void CustomRule_ThatFails_Throws(string quorum, string decision)
    {
        var judge = Custom(quorum, decision);

        var thrown = Assert.Throws<InvalidOperationException>(() => Decide(judge, Motion, "q1=yes*8 / q1=no*2", 10));

        Assert.Contains("custom rule", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_NamesTheOutcome_AndGivesTurnoutAsAPercentage()
    {
        // 20 of 30 took part (66.7 %): 12 for, 5 against, 2 abstained, 1 blank; 12 is more than half of 20.
        var result = Decide(Preset("simple-majority", ElectorateMode.Person), Motion, "q1=yes*12 / q1=no*5 / q1=abstain*2 / q1=*1", 30);

        var json = result.ToJson();

        Assert.Equal("passed", json["outcome"]!.GetValue<string>());
        Assert.Equal(30, json["electorate"]!.GetValue<int>());
        Assert.Equal(20, json["attendees"]!.GetValue<int>());
        Assert.Equal(66.7, json["turnout"]!.GetValue<double>());
        var question = Assert.Single(json["questions"]!.AsArray())!;
        Assert.Equal("q1", question["id"]!.GetValue<string>());
        Assert.Equal(new Dictionary<string, int> { ["yes"] = 12, ["no"] = 5, ["abstain"] = 2 },
            question["counts"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>()));
        Assert.Equal(1, question["blank"]!.GetValue<int>());
        Assert.Equal("""["yes"]""", question["carried"]!.ToJsonString());
        Assert.True(question["passed"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("simple-majority", "q1=no*2 / q1=yes*1", 3, "rejected", 100.0)]
    [InlineData("villagers-assembly", "q1=yes*30", 100, "no_quorum", 30.0)]
    [InlineData("simple-majority", "q1=yes*1", 3, "passed", 33.3)]
    [InlineData("simple-majority", "q1=yes*1", 6, "passed", 16.7)]
    [InlineData("simple-majority", "q1=yes*1", 8, "passed", 12.5)]
    [InlineData("simple-majority", "q1=yes*51", 100, "passed", 51.0)]
    [InlineData("simple-majority", "", 100, "no_quorum", 0.0)]
    // An empty roll gives a turnout of 0, not a division by zero.
    [InlineData("simple-majority", "q1=yes*1", 0, "passed", 0.0)]
    public void ToJson_OutcomeNamesAndTurnout(string preset, string counts, int electorate, string outcome, double turnout)
    {
        var json = Decide(Preset(preset, ElectorateMode.Person), Motion, counts, electorate).ToJson();

        Assert.Equal(outcome, json["outcome"]!.GetValue<string>());
        Assert.Equal(turnout, json["turnout"]!.GetValue<double>());
        var question = Assert.Single(json["questions"]!.AsArray())!;
        Assert.Equal(outcome == "passed", question["passed"]!.GetValue<bool>());
        Assert.Equal(outcome == "passed" ? """["yes"]""" : "[]", question["carried"]!.ToJsonString());
    }

    [Fact]
    public void ToJson_OfAMultipleChoice_CountsEachOption()
    {
        var result = Decide(Preset("simple-majority", ElectorateMode.Person), Questions(Members), "members=zhang,li*6 / members=li,wang*4 / members=*2", 20);

        var question = Assert.Single(result.ToJson()["questions"]!.AsArray())!;

        Assert.Equal(new Dictionary<string, int> { ["zhang"] = 6, ["li"] = 10, ["wang"] = 4 },
            question["counts"]!.AsObject().ToDictionary(p => p.Key, p => p.Value!.GetValue<int>()));
        Assert.Equal(2, question["blank"]!.GetValue<int>());
        // 12 ballots: li's 10 is more than half, zhang's 6 is exactly half.
        Assert.Equal("""["li"]""", question["carried"]!.ToJsonString());
        Assert.Equal(60.0, result.ToJson()["turnout"]!.GetValue<double>());
        Assert.Equal("passed", result.OutcomeName);
    }

    [Theory]
    [InlineData(BallotOutcome.Passed, "passed")]
    [InlineData(BallotOutcome.Rejected, "rejected")]
    [InlineData(BallotOutcome.NoQuorum, "no_quorum")]
    public void OutcomeNames_AreTheActivitysPorts(BallotOutcome outcome, string name)
    {
        Assert.Equal(name, BallotOutcomes.Name(outcome));
        Assert.Contains(name, BallotOutcomes.All);
        Assert.Equal(name, new BallotResult(outcome, 0, 0, []).ToJson()["outcome"]!.GetValue<string>());
    }
}
