using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Ballots;

/// <summary>
/// A Ballot's definition is checked the way publishing checks it: the statutory notice (村民会议提前十日公告), the custom rule's
/// expressions, the questions with their pointer inside the property, and Notify recipients that name a Ballot.
/// </summary>
public sealed class BallotValidationTests
{
    private const int BallotIndex = 1;

    private static string Workflow(string ballotProperties, string notifyTo = """[ { "role": "clerk" } ]""") => $$"""
        {
          "definitionId": "road-vote",
          "name": "村道硬化表决",
          "variables": [ { "name": "tally", "type": "object" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "vote", "type": "Ballot", "properties": {{ballotProperties}} },
            { "id": "remind", "type": "Notify", "properties": { "template": "ballot/reminder", "to": {{notifyTo}} } },
            { "id": "end", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "vote" },
            { "from": "vote", "outcome": "passed", "to": "remind" },
            { "from": "vote", "outcome": "rejected", "to": "end" },
            { "from": "vote", "outcome": "no_quorum", "to": "end" },
            { "from": "remind", "to": "end" }
          ]
        }
        """;

    /// <summary>A ballot's properties: the given ones over a valid villagers' assembly.</summary>
    private static string Ballot(string rule = "villagers-assembly", string notice = """{ "days": 10 }""", string extra = "") => $$"""
        { "title": "村道硬化方案", "rule": "{{rule}}", "notice": {{notice}}, "votingPeriod": { "days": 3 }{{(extra.Length == 0 ? "" : ", " + extra)}} }
        """;

    private static List<ValidationProblem> Errors(string json) => [.. DefinitionCheck.Problems(json).Where(p => p.IsError)];

    private static ValidationProblem SingleError(string json, string activityId = "vote")
    {
        var errors = Errors(json);
        var error = Assert.Single(errors);
        Assert.Equal(activityId, error.ActivityId);
        return error;
    }

    [Theory]
    // 村民会议: ten days or more, however written; working days are at least as many calendar days.
    [InlineData("villagers-assembly", """{ "days": 10 }""", "")]
    [InlineData("villagers-assembly", """{ "workingDays": 10 }""", "")]
    [InlineData("villagers-assembly", "\"P10D\"", "")]
    [InlineData("villagers-assembly", "\"P1W3D\"", "")]
    [InlineData("villagers-assembly", """{ "hours": 240 }""", "")]
    [InlineData("villagers-assembly", """{ "workingHours": 80 }""", "")]
    [InlineData("villagers-assembly", """{ "days": 30 }""", "")]
    [InlineData("villagers-assembly", """{ "days": 10 }""", """ "mode": "household" """)]
    // The other rules set no minimum notice.
    [InlineData("residents-assembly", """{ "days": 1 }""", "")]
    [InlineData("residents-assembly", """{ "days": 1 }""", """ "mode": "household" """)]
    [InlineData("village-representatives", """{ "hours": 1 }""", """ "mode": "representatives" """)]
    [InlineData("simple-majority", """{ "minutes": 30 }""", "")]
    [InlineData("two-thirds", "\"PT1H\"", "")]
    [InlineData("custom", """{ "days": 1 }""", """ "customQuorum": "attendees * 2 > electorate", "customDecision": "yes * 3 >= attendees * 2" """)]
    [InlineData("custom", """{ "days": 1 }""", """ "customDecision": "yes > no + abstain" """)]
    // Everything else a ballot may say.
    [InlineData("simple-majority", """{ "days": 1 }""", """
        "questions": [ { "id": "road", "text": "村道硬化" }, { "id": "members", "text": "选举", "options": [ "zhang", "li", "wang" ], "maxChoices": 2 } ],
        "mode": "person", "orgUnit": "village-3", "secret": false, "resultsHidden": false, "allowChange": true, "earlyClose": true, "variable": "tally"
        """)]
    public void AValidBallot_HasNoErrors(string rule, string notice, string extra) =>
        Assert.Empty(Errors(Workflow(Ballot(rule, notice, extra))));

    [Theory]
    [InlineData("""{ "days": 9 }""", "")]
    [InlineData("\"P9DT23H\"", "")]
    [InlineData("\"P9D\"", "")]
    [InlineData("""{ "hours": 239 }""", "")]
    [InlineData("""{ "workingDays": 9 }""", "")]
    [InlineData("""{ "workingHours": 79 }""", "")]
    [InlineData("""{ "days": 1 }""", "")]
    // By household the quorum differs, the notice does not; nor with the representatives counted.
    [InlineData("""{ "days": 9 }""", """ "mode": "household" """)]
    [InlineData("""{ "days": 9 }""", """ "mode": "representatives" """)]
    public void VillagersAssembly_WithLessThanTenDaysNotice_IsAnErrorOnNotice(string notice, string extra)
    {
        var error = SingleError(Workflow(Ballot("villagers-assembly", notice, extra)));

        Assert.Equal((ProblemCodes.InvalidProperty, "notice", $"/activities/{BallotIndex}/properties/notice"), (error.Code, error.Property, error.Path));
        Assert.Contains("10 days", error.Message, StringComparison.Ordinal);
        Assert.Contains("村民委员会组织法", error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Position);
    }

    [Theory]
    [InlineData("""{ "days": 9 }""", "gives 9.")]
    [InlineData("""{ "workingHours": 76 }""", "gives 9.5.")]
    // Just short of ten days: the message must not claim the ballot gives the ten days it is refused for.
    [InlineData("\"P9DT23H\"", "gives 9.9")]
    [InlineData("""{ "hours": 239 }""", "gives 9.9")]
    public void VillagersAssembly_NoticeError_SaysHowMuchNoticeTheBallotGives(string notice, string says)
    {
        var error = SingleError(Workflow(Ballot("villagers-assembly", notice)));

        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    // 自定义规则 needs its decision; each expression may read only electorate, attendees, yes, no and abstain.
    [InlineData("", "customDecision", ProblemCodes.InvalidProperty)]
    [InlineData(""" "customQuorum": "attendees * 2 > electorate" """, "customDecision", ProblemCodes.InvalidProperty)]
    [InlineData(""" "customQuorum": "voters * 2 > electorate", "customDecision": "yes > no" """, "customQuorum", ProblemCodes.UnknownVariable)]
    [InlineData(""" "customQuorum": "attendees > tally.size", "customDecision": "yes > no" """, "customQuorum", ProblemCodes.UnknownVariable)]
    [InlineData(""" "customDecision": "yes_votes > no" """, "customDecision", ProblemCodes.UnknownVariable)]
    [InlineData(""" "customDecision": "yes * 3 >=" """, "customDecision", ProblemCodes.ExpressionSyntax)]
    [InlineData(""" "customQuorum": "attendees >", "customDecision": "yes > no" """, "customQuorum", ProblemCodes.ExpressionSyntax)]
    public void CustomRule_Problems_AreOnTheirProperty(string extra, string property, string code)
    {
        var error = SingleError(Workflow(Ballot("custom", """{ "days": 1 }""", extra)));

        Assert.Equal((code, property, $"/activities/{BallotIndex}/properties/{property}"), (error.Code, error.Property, error.Path));
    }

    [Fact]
    public void CustomRule_WithAnEmptyDecision_IsAnErrorOnCustomDecision()
    {
        var errors = Errors(Workflow(Ballot("custom", """{ "days": 1 }""", """ "customDecision": "" """)));

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(("vote", "customDecision"), (e.ActivityId, e.Property)));
    }

    [Fact]
    public void CustomQuorum_ReadingTheVotes_IsAnError_BecauseTheQuorumIsCountedBeforeTheVotes()
    {
        // The quorum is judged on electorate and attendees only (yes, no and abstain are 0 there), so a quorum that reads
        // the votes would silently never be reached.
        var errors = Errors(Workflow(Ballot("custom", """{ "days": 1 }""", """ "customQuorum": "yes + no > 10", "customDecision": "yes > no" """)));

        Assert.Contains(errors, e => e.ActivityId == "vote" && e.Property == "customQuorum");
    }

    [Theory]
    [InlineData("\"everyone\"")]
    [InlineData("\"Person\"")]
    [InlineData("1")]
    public void ABadMode_IsAnErrorOnMode(string mode)
    {
        var errors = Errors(Workflow(Ballot("residents-assembly", """{ "days": 1 }""", $"\"mode\": {mode}")));

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(("vote", "mode", ProblemCodes.InvalidProperty), (e.ActivityId, e.Property, e.Code)));
    }

    [Theory]
    [InlineData("[]", "")]
    [InlineData("""{ "id": "q1" }""", "")]
    [InlineData("""[ { "id": "q 1", "text": "t" } ]""", "/0")]
    [InlineData("""[ { "id": "q1" } ]""", "/0/text")]
    [InlineData("""[ { "id": "q1", "text": "t" }, { "id": "q1", "text": "t" } ]""", "/1/id")]
    [InlineData("""[ { "id": "q1", "text": "t" }, { "id": "q2", "text": "t", "options": [ "a b", "c" ] } ]""", "/1/options/0")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "a" ] } ]""", "/0/options")]
    [InlineData("""[ { "id": "q1", "text": "t", "maxChoices": 0 } ]""", "/0/maxChoices")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "a", "b" ], "maxChoices": 3 } ]""", "/0/maxChoices")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "a", "b" ], "maxChoices": "2" } ]""", "/0/maxChoices")]
    public void BadQuestions_AreErrorsOnQuestions_WithThePointerInside(string questions, string inner)
    {
        var error = SingleError(Workflow(Ballot("simple-majority", """{ "days": 1 }""", $"\"questions\": {questions}")));

        Assert.Equal((ProblemCodes.InvalidProperty, "questions", $"/activities/{BallotIndex}/properties/questions{inner}"), (error.Code, error.Property, error.Path));
        Assert.NotNull(error.Position);
    }

    [Fact]
    public void AnUndeclaredResultVariable_IsAnErrorOnVariable()
    {
        var errors = Errors(Workflow(Ballot(extra: "\"variable\": \"talley\"")));

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(("vote", "variable"), (e.ActivityId, e.Property)));
        Assert.Contains(errors, e => e.Code == ProblemCodes.InvalidProperty && e.Message.Contains("declared variable", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("title")]
    [InlineData("rule")]
    [InlineData("notice")]
    [InlineData("votingPeriod")]
    public void ARequiredPropertyMissing_IsAnErrorOnIt(string property)
    {
        var properties = System.Text.Json.Nodes.JsonNode.Parse(Ballot())!.AsObject();
        properties.Remove(property);

        var error = SingleError(Workflow(properties.ToJsonString()));

        Assert.Equal((ProblemCodes.MissingProperty, property), (error.Code, error.Property));
    }

    [Theory]
    [InlineData("show-of-hands", "rule")]
    [InlineData("Villagers-Assembly", "rule")]
    public void AnUnknownRule_IsAnErrorOnRule(string rule, string property)
    {
        var errors = Errors(Workflow(Ballot(rule, """{ "days": 30 }""")));

        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Equal(("vote", property), (e.ActivityId, e.Property)));
    }

    [Fact]
    public void EveryProblemOfABallot_IsReportedAtOnce()
    {
        var errors = Errors(Workflow(Ballot("villagers-assembly", """{ "days": 3 }""",
            """ "questions": [ { "id": "q1", "text": "t", "options": [ "a" ] } ], "variable": "nowhere" """)));

        Assert.Equal(["notice", "questions", "variable"], errors.Select(e => e.Property).Distinct().Order(StringComparer.Ordinal));
    }

    [Theory]
    // 催投通知: a Notify may go to a Ballot's electorate (全体选民) or to those of it who have not voted yet (尚未投票的人).
    [InlineData("""[ { "notVoted": "vote" } ]""")]
    [InlineData("""[ { "electorate": "vote" } ]""")]
    [InlineData("""[ { "role": "clerk" }, { "notVoted": "vote" }, { "electorate": "vote" } ]""")]
    // 公告: every resident of the case's unit and the units below, whoever is on the roll.
    [InlineData("""[ { "residents": "*" } ]""")]
    public void NotifyToABallotsVoters_IsValid(string to) =>
        Assert.Empty(Errors(Workflow(Ballot(), to)));

    [Theory]
    [InlineData("""[ { "notVoted": "start" } ]""", "/0")]
    [InlineData("""[ { "electorate": "remind" } ]""", "/0")]
    [InlineData("""[ { "role": "clerk" }, { "notVoted": "ballot" } ]""", "/1")]
    [InlineData("""[ { "role": "clerk" }, { "electorate": "Vote" } ]""", "/1")]
    [InlineData("""[ { "notVoted": "" } ]""", "/0")]
    [InlineData("""[ { "electorate": 1 } ]""", "/0")]
    [InlineData("""[ { "notVoted": "vote", "role": "clerk" } ]""", "/0")]
    [InlineData("""[ { "residents": "v9" } ]""", "/0")]
    [InlineData("""[ { "role": "clerk" }, { "participants": "vote" } ]""", "/1")]
    public void NotifyToTheVotersOfSomethingThatIsNotABallot_IsAnErrorOnTo(string to, string inner)
    {
        var error = SingleError(Workflow(Ballot(), to), "remind");

        Assert.Equal((ProblemCodes.InvalidProperty, "to", $"/activities/2/properties/to{inner}"), (error.Code, error.Property, error.Path));
    }
}
