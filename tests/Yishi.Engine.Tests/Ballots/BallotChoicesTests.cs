using System.Collections.Immutable;
using System.Text.Json;
using Yishi.Engine.Ballots;

namespace Yishi.Engine.Tests.Ballots;

/// <summary>
/// A vote's choices pack into one canonical text so that equal ballots group in the database: questions and options in
/// the ballot's order whatever order the voter sent them in, an unanswered question packed as an abstention (未作答即弃权).
/// </summary>
public sealed class BallotChoicesTests
{
    /// <summary>
    /// 村道硬化 (a motion, q1), 选举监委会成员 (pick up to two of three, "members"), and 路灯方案 (one of two, "lights").
    /// Options are declared out of alphabetical order, so canonical means "as declared", not "sorted".
    /// </summary>
    private static readonly ImmutableArray<BallotQuestion> Questions = Read("""
        [
          { "id": "q1", "text": "同意村道硬化方案吗？" },
          { "id": "members", "text": "选举村务监督委员会成员", "options": [ "zhang", "li", "wang" ], "maxChoices": 2 },
          { "id": "lights", "text": { "zh-CN": "路灯方案", "en": "Street lights" }, "options": [ { "id": "solar", "text": "太阳能" }, { "id": "grid", "text": "市电" } ] }
        ]
        """);

    private static ImmutableArray<BallotQuestion> Read(string json)
    {
        var problems = new List<string>();
        var questions = BallotQuestion.ReadList(JsonElement.Parse(json), null, (at, message) => problems.Add($"{at}: {message}"));
        Assert.Empty(problems);
        return questions;
    }

    private static (string? Packed, string? Error) Pack(string choices) => BallotChoices.Pack(JsonElement.Parse(choices), Questions);

    [Theory]
    // Every question answered, sent in the ballot's order and in reverse: one canonical text.
    [InlineData("""{ "q1": "yes", "members": ["zhang", "wang"], "lights": "grid" }""", "q1=yes;members=zhang,wang;lights=grid")]
    [InlineData("""{ "lights": "grid", "members": ["wang", "zhang"], "q1": "yes" }""", "q1=yes;members=zhang,wang;lights=grid")]
    // Options of a multiple choice come out in the declared order (li before wang), not the voter's, not alphabetical.
    [InlineData("""{ "members": ["wang", "li"] }""", "q1=;members=li,wang;lights=")]
    [InlineData("""{ "members": ["li", "zhang"] }""", "q1=;members=zhang,li;lights=")]
    // A single option may come as a string or as a list of one.
    [InlineData("""{ "q1": ["no"], "lights": ["solar"] }""", "q1=no;members=;lights=solar")]
    [InlineData("""{ "q1": "abstain" }""", "q1=abstain;members=;lights=")]
    // Unanswered questions and an empty list are abstentions: the voter still attended (未作答视为弃权).
    [InlineData("""{ "members": [] }""", "q1=;members=;lights=")]
    [InlineData("{}", "q1=;members=;lights=")]
    public void Pack_IsCanonical_InTheBallotsQuestionAndOptionOrder(string choices, string expected)
    {
        var (packed, error) = Pack(choices);

        Assert.Null(error);
        Assert.Equal(expected, packed);
    }

    [Fact]
    public void Pack_TheSameChoicesInAnyOrder_PackEqually_SoTheTallyCanGroupThem()
    {
        string[] sameChoices =
        [
            """{ "q1": "no", "members": ["zhang", "li"], "lights": "solar" }""",
            """{ "members": ["li", "zhang"], "lights": "solar", "q1": "no" }""",
            """{ "lights": ["solar"], "q1": ["no"], "members": ["zhang", "li"] }""",
        ];

        var packings = sameChoices.Select(c => Pack(c).Packed).Distinct().ToList();

        Assert.Equal(["q1=no;members=zhang,li;lights=solar"], packings);
    }

    [Theory]
    // 不是本次表决的问题: the error names the question the voter sent.
    [InlineData("""{ "q2": "yes" }""", "'q2'")]
    [InlineData("""{ "q1": "yes", "Members": ["li"] }""", "'Members'")]
    // 不是该问题的选项: names the option and the question.
    [InlineData("""{ "q1": "maybe" }""", "'maybe'", "'q1'")]
    [InlineData("""{ "members": ["li", "zhao"] }""", "'zhao'", "'members'")]
    [InlineData("""{ "lights": "Solar" }""", "'Solar'", "'lights'")]
    // 同一选项选了两次.
    [InlineData("""{ "members": ["li", "li"] }""", "'members'")]
    // 超过可选数量: two of three at most, one for a motion.
    [InlineData("""{ "members": ["zhang", "li", "wang"] }""", "'members'", "2")]
    [InlineData("""{ "q1": ["yes", "no"] }""", "'q1'", "1")]
    // An answer is an option id or a list of them, nothing else.
    [InlineData("""{ "q1": 1 }""", "'q1'")]
    [InlineData("""{ "q1": null }""", "'q1'")]
    [InlineData("""{ "members": ["li", 2] }""", "'members'")]
    [InlineData("""{ "lights": { "id": "solar" } }""", "'lights'")]
    public void Pack_ABadAnswer_IsAnErrorNamingTheQuestionOrOption(string choices, string named, string? alsoNamed = null)
    {
        var (packed, error) = Pack(choices);

        Assert.Null(packed);
        Assert.NotNull(error);
        Assert.Contains(named, error, StringComparison.Ordinal);
        if (alsoNamed is not null)
        {
            Assert.Contains(alsoNamed, error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("\"yes\"")]
    [InlineData("""["q1", "yes"]""")]
    [InlineData("null")]
    [InlineData("42")]
    public void Pack_ChoicesThatAreNotAnObject_AreAnError(string choices)
    {
        var (packed, error) = Pack(choices);

        Assert.Null(packed);
        Assert.Contains("'choices'", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Pack_TheDefaultMotion_PacksUnderQ1()
    {
        var motion = BallotQuestion.ReadList(null, null, (_, _) => Assert.Fail("no problems expected"));

        Assert.Equal(("q1=yes", (string?)null), BallotChoices.Pack(JsonElement.Parse("""{ "q1": "yes" }"""), motion));
        Assert.Equal(("q1=", (string?)null), BallotChoices.Pack(JsonElement.Parse("{}"), motion));
    }

    [Theory]
    [InlineData("q1=yes;members=zhang,wang;lights=grid", "q1:yes|members:zhang,wang|lights:grid")]
    [InlineData("q1=;members=li;lights=", "q1:|members:li|lights:")]
    [InlineData("q1=;members=;lights=", "q1:|members:|lights:")]
    [InlineData("", "")]
    public void Unpack_GivesEachQuestionsOptions_AndAnEmptyListForAnAbstention(string packed, string expected)
    {
        var unpacked = BallotChoices.Unpack(packed);

        var described = string.Join("|", Questions.Select(q => q.Id)
            .Where(unpacked.ContainsKey)
            .Select(q => $"{q}:{string.Join(",", unpacked[q])}"));
        Assert.Equal(expected, described);
        Assert.Equal(expected.Length == 0 ? 0 : 3, unpacked.Count);
    }

    [Theory]
    [InlineData("""{ "q1": "yes", "members": ["wang", "zhang"], "lights": "grid" }""")]
    [InlineData("""{ "members": ["li"] }""")]
    [InlineData("""{ "lights": "solar", "q1": "no" }""")]
    [InlineData("{}")]
    public void UnpackOfPack_GivesBackTheChoices_AndPacksAgainToTheSameText(string choices)
    {
        var packed = Pack(choices).Packed!;

        var unpacked = BallotChoices.Unpack(packed);

        // Every question is there; each one the voter answered holds exactly the options chosen, the others none.
        var given = JsonElement.Parse(choices);
        Assert.Equal(["q1", "members", "lights"], unpacked.Keys.Order(Comparer<string>.Create((a, b) => Order(a).CompareTo(Order(b)))));
        foreach (var question in Questions)
        {
            var sent = given.TryGetProperty(question.Id, out var answer)
                ? answer.ValueKind == JsonValueKind.String ? [answer.GetString()!] : answer.EnumerateArray().Select(o => o.GetString()!).ToArray()
                : [];
            Assert.Equal(sent.Order(StringComparer.Ordinal), unpacked[question.Id].Order(StringComparer.Ordinal));
        }

        var again = JsonSerializer.Serialize(unpacked.ToDictionary(p => p.Key, p => p.Value.ToArray()));
        Assert.Equal(packed, Pack(again).Packed);
    }

    private static int Order(string questionId) => Questions.Select(q => q.Id).ToList().IndexOf(questionId);
}
