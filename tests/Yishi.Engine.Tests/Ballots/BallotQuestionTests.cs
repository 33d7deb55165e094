using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using Yishi.Engine.Ballots;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Ballots;

/// <summary>
/// The <c>questions</c> property of a Ballot: absent means one motion on the matter itself (赞成 / 反对 / 弃权), otherwise
/// each question with its own options; every problem is reported with its JSON pointer inside the property.
/// </summary>
public sealed class BallotQuestionTests
{
    private static (ImmutableArray<BallotQuestion> Questions, List<(string At, string Message)> Problems) Read(string? json, JsonNode? title = null)
    {
        var problems = new List<(string, string)>();
        var questions = BallotQuestion.ReadList(json is null ? null : JsonElement.Parse(json), title, (at, message) => problems.Add((at, message)));
        return (questions, problems);
    }

    [Fact]
    public void ReadList_Absent_IsOneMotionQ1_YesNoAbstain_AskingTheTitle()
    {
        var title = JsonNode.Parse("""{ "zh-CN": "村道硬化方案", "en": "Paving the village road" }""");

        var (questions, problems) = Read(null, title);

        Assert.Empty(problems);
        var motion = Assert.Single(questions);
        Assert.Equal("q1", motion.Id);
        Assert.Equal(["yes", "no", "abstain"], motion.Options);
        Assert.Equal(1, motion.MaxChoices);
        Assert.True(motion.IsMotion);
        Assert.Equal("""{"zh-CN":"村道硬化方案","en":"Paving the village road"}""", BallotJson.Text(motion.Text));
        Assert.Empty(motion.Labels);
    }

    [Fact]
    public void ReadList_QuestionsWithoutOptions_AreMotions()
    {
        var (questions, problems) = Read("""[ { "id": "road", "text": "村道硬化" }, { "id": "lights", "text": { "zh-CN": "安装路灯", "en": "Street lights" } } ]""");

        Assert.Empty(problems);
        Assert.Equal(["road", "lights"], questions.Select(q => q.Id));
        Assert.All(questions, q => Assert.Equal(["yes", "no", "abstain"], q.Options));
        Assert.All(questions, q => Assert.True(q.IsMotion));
        Assert.All(questions, q => Assert.Equal(1, q.MaxChoices));
        Assert.Equal("\"村道硬化\"", BallotJson.Text(questions[0].Text));
        Assert.Equal("""{"zh-CN":"安装路灯","en":"Street lights"}""", BallotJson.Text(questions[1].Text));
    }

    [Fact]
    public void ReadList_CustomOptions_AsStrings_KeepTheirOrder_WithoutLabels()
    {
        var (questions, problems) = Read("""[ { "id": "members", "text": "选举监委会成员", "options": [ "zhang", "li", "wang" ], "maxChoices": 2 } ]""");

        Assert.Empty(problems);
        var choice = Assert.Single(questions);
        Assert.Equal(["zhang", "li", "wang"], choice.Options);
        Assert.Equal(2, choice.MaxChoices);
        Assert.False(choice.IsMotion);
        Assert.All(choice.Options, o => Assert.Null(choice.Labels.GetValueOrDefault(o)));
    }

    [Fact]
    public void ReadList_CustomOptions_AsIdAndText_KeepTheLabels()
    {
        var (questions, problems) = Read("""
            [ { "id": "lights", "text": "路灯方案", "options": [
                { "id": "solar", "text": { "zh-CN": "太阳能路灯", "en": "Solar" } },
                { "id": "grid", "text": "市电路灯" },
                { "id": "none" },
                "later" ] } ]
            """);

        Assert.Empty(problems);
        var choice = Assert.Single(questions);
        Assert.Equal(["solar", "grid", "none", "later"], choice.Options);
        Assert.Equal(1, choice.MaxChoices);
        Assert.Equal("""{"zh-CN":"太阳能路灯","en":"Solar"}""", BallotJson.Text(choice.Labels["solar"]));
        Assert.Equal("\"市电路灯\"", BallotJson.Text(choice.Labels["grid"]));
        Assert.Null(choice.Labels.GetValueOrDefault("none"));
        Assert.Null(choice.Labels.GetValueOrDefault("later"));
    }

    [Theory]
    // maxChoices from 1 to the number of options.
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void ReadList_MaxChoicesUpToTheNumberOfOptions_IsRead(int max)
    {
        var (questions, problems) = Read($$"""[ { "id": "members", "text": "t", "options": [ "a", "b", "c" ], "maxChoices": {{max}} } ]""");

        Assert.Empty(problems);
        Assert.Equal(max, Assert.Single(questions).MaxChoices);
    }

    [Theory]
    // The property itself: a non-empty list.
    [InlineData("[]", "")]
    [InlineData("{}", "")]
    [InlineData("\"q1\"", "")]
    // The question's id: letters, digits, '-' or '_', at most 32; a missing id or text.
    [InlineData("""[ { "id": "q 1", "text": "t" } ]""", "/0")]
    [InlineData("""[ { "id": "q1", "text": "t" }, { "id": "问题二", "text": "t" } ]""", "/1")]
    [InlineData("""[ { "id": "q1", "text": "t" }, { "id": "a=b", "text": "t" } ]""", "/1")]
    [InlineData("""[ { "id": "", "text": "t" } ]""", "/0")]
    [InlineData("""[ { "id": "abcdefghijklmnopqrstuvwxyz0123456", "text": "t" } ]""", "/0")]
    [InlineData("""[ { "text": "t" } ]""", "/0")]
    [InlineData("""[ { "id": 1, "text": "t" } ]""", "/0")]
    [InlineData("""[ "q1" ]""", "/0")]
    [InlineData("""[ { "id": "q1" } ]""", "/0/text")]
    [InlineData("""[ { "id": "q1", "text": 5 } ]""", "/0/text")]
    // The same question id twice: reported on the second one's id.
    [InlineData("""[ { "id": "q1", "text": "t" }, { "id": "q2", "text": "t" }, { "id": "q1", "text": "t" } ]""", "/2/id")]
    // Options: at least two, each a distinct plain id, as a string or {"id", "text"}.
    [InlineData("""[ { "id": "q1", "text": "t" }, { "id": "q2", "text": "t", "options": [ "only" ] } ]""", "/1/options")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [] } ]""", "/0/options")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": "a,b" } ]""", "/0/options")]
    [InlineData("""[ { "id": "q1", "text": "t" }, { "id": "q2", "text": "t", "options": [ "a b", "c" ] } ]""", "/1/options/0")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "a", "b,c" ] } ]""", "/0/options/1")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "a", "b", "a" ] } ]""", "/0/options/2")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "a", { "id": "a", "text": "又是甲" } ] } ]""", "/0/options/1")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "a", { "text": "没有编号" } ] } ]""", "/0/options/1")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ 1, 2 ] } ]""", "/0/options/0")]
    // maxChoices: a whole number from 1 to the number of options (3 for a motion).
    [InlineData("""[ { "id": "q1", "text": "t", "maxChoices": 0 } ]""", "/0/maxChoices")]
    [InlineData("""[ { "id": "q1", "text": "t", "maxChoices": 4 } ]""", "/0/maxChoices")]
    [InlineData("""[ { "id": "q1", "text": "t" }, { "id": "q2", "text": "t", "options": [ "a", "b" ], "maxChoices": 3 } ]""", "/1/maxChoices")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "a", "b", "c" ], "maxChoices": 1.5 } ]""", "/0/maxChoices")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "a", "b", "c" ], "maxChoices": -1 } ]""", "/0/maxChoices")]
    public void ReadList_AProblem_IsReportedAtItsPointer(string json, string pointer)
    {
        var (_, problems) = Read(json);

        var problem = Assert.Single(problems);
        Assert.Equal(pointer, problem.At);
        Assert.False(string.IsNullOrWhiteSpace(problem.Message));
    }

    [Theory]
    // A number written as text, or true, is not a whole number either: it is a problem at the pointer, not a crash.
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "a", "b", "c" ], "maxChoices": "2" } ]""")]
    [InlineData("""[ { "id": "q1", "text": "t", "maxChoices": true } ]""")]
    public void ReadList_MaxChoicesNotANumber_IsReportedAtItsPointer(string json)
    {
        var (questions, problems) = Read(json);

        Assert.Equal("/0/maxChoices", Assert.Single(problems).At);
        Assert.Empty(questions);
    }

    [Theory]
    // 赞成、反对、弃权 are exclusive: a motion that let a voter choose two of them would count one ballot for and against.
    [InlineData("""[ { "id": "q1", "text": "t", "maxChoices": 2 } ]""")]
    [InlineData("""[ { "id": "q1", "text": "t", "maxChoices": 3 } ]""")]
    [InlineData("""[ { "id": "q1", "text": "t", "options": [ "yes", "no" ], "maxChoices": 2 } ]""")]
    public void ReadList_AMotionWithMoreThanOneChoice_IsReportedAtMaxChoices(string json)
    {
        var (questions, problems) = Read(json);

        Assert.Equal("/0/maxChoices", Assert.Single(problems).At);
        Assert.Empty(questions);
    }

    [Fact]
    public void ReadList_ReportsEveryBadQuestion_AndKeepsTheGoodOnes()
    {
        var (questions, problems) = Read("""
            [ { "id": "q1", "text": "t" },
              { "id": "q2", "text": "t", "options": [ "a" ] },
              { "id": "q3", "text": "t", "options": [ "a", "b" ], "maxChoices": 2 },
              { "id": "q1", "text": "t" },
              { "id": "q4", "text": "t", "maxChoices": 9 } ]
            """);

        Assert.Equal(["/1/options", "/3/id", "/4/maxChoices"], problems.Select(p => p.At));
        Assert.Equal(["q1", "q3"], questions.Select(q => q.Id));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""[ { "id": "road", "text": { "zh-CN": "村道硬化", "en": "Paving" } } ]""")]
    [InlineData("""[ { "id": "members", "text": "选举", "options": [ "zhang", "li", "wang" ], "maxChoices": 2 } ]""")]
    [InlineData("""[ { "id": "lights", "text": "路灯", "options": [ { "id": "solar", "text": { "zh-CN": "太阳能", "en": "Solar" } }, "grid" ] } ]""")]
    public void ToJson_FromJson_RoundTrip(string? json)
    {
        var original = Assert.Single(Read(json, JsonValue.Create("修路")).Questions);

        var written = original.ToJson();
        var back = BallotQuestion.FromJson(JsonNode.Parse(written.ToJsonString())!.AsObject());

        Assert.Equal(original.Id, back.Id);
        Assert.Equal(BallotJson.Text(original.Text), BallotJson.Text(back.Text));
        Assert.Equal(original.Options, back.Options);
        Assert.Equal(original.MaxChoices, back.MaxChoices);
        Assert.Equal(original.IsMotion, back.IsMotion);
        Assert.All(original.Options, o => Assert.Equal(BallotJson.Text(original.Labels.GetValueOrDefault(o)), BallotJson.Text(back.Labels.GetValueOrDefault(o))));
        Assert.Equal(written.ToJsonString(), back.ToJson().ToJsonString());
    }

    [Fact]
    public void ToJson_ListsEveryOptionWithItsLabel_InOrder()
    {
        var question = Assert.Single(Read("""[ { "id": "lights", "text": "路灯", "options": [ { "id": "solar", "text": "太阳能" }, "grid" ], "maxChoices": 2 } ]""").Questions);

        Assert.Equal("""{"id":"lights","text":"路灯","options":[{"id":"solar","text":"太阳能"},{"id":"grid","text":null}],"maxChoices":2}""",
            BallotJson.Text(question.ToJson()));
    }

    [Fact]
    public void FromJson_WithoutMaxChoices_IsSingleChoice()
    {
        var question = BallotQuestion.FromJson(Json.Object("""{ "id": "q1", "text": "t", "options": [ { "id": "yes" }, { "id": "no" } ] }"""));

        Assert.Equal(1, question.MaxChoices);
        Assert.Equal(["yes", "no"], question.Options);
        Assert.True(question.IsMotion);
    }

    [Theory]
    [InlineData("q1", true)]
    [InlineData("road-2025_a", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345", true)]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456", false)]
    [InlineData("", false)]
    [InlineData("a;b", false)]
    [InlineData("a,b", false)]
    [InlineData("a=b", false)]
    [InlineData("甲", false)]
    public void IsId_OnlyShortPlainIds_SoPackingNeedsNoEscaping(string text, bool expected) =>
        Assert.Equal(expected, BallotQuestion.IsId(text));
}
