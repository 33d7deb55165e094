using System.Text.Json.Nodes;
using Yishi.Designer.Components.Editors;
using Yishi.Engine.Expressions;

namespace Yishi.Designer.Tests.Components;

/// <summary>
/// Rows and expressions translate both ways without changing meaning: what the rows write, the engine evaluates as the rows
/// say; what the rows read, they write back to an expression that gives the same answers; what they cannot say, they refuse.
/// </summary>
public sealed class GuidedConditionTests
{
    private static readonly ExpressionEngine Engine = new();

    /// <summary>Scopes that tell the conditions apart: each test expression is checked on all of them.</summary>
    private static readonly JsonObject[] Samples =
    [
        new() { ["risk"] = "high", ["amount"] = 8000, ["note"] = "urgent case", ["tags"] = new JsonArray("urgent", "elderly"), ["agreed"] = true, ["outcome"] = "passed" },
        new() { ["risk"] = "low", ["amount"] = 100, ["note"] = "", ["tags"] = new JsonArray(), ["agreed"] = false, ["outcome"] = "no_quorum" },
        new() { ["risk"] = "medium", ["amount"] = 5000, ["note"] = null, ["tags"] = new JsonArray("elderly"), ["agreed"] = true, ["outcome"] = "rejected" },
        new() { ["risk"] = "high", ["amount"] = -3.5, ["note"] = "say \"hi\"", ["tags"] = null, ["agreed"] = false, ["outcome"] = "passed" },
    ];

    private static readonly JsonObject Activities = new() { ["review"] = new JsonObject { ["outcome"] = "accept", ["data"] = new JsonObject { ["amount"] = 12 } } };

    private static JsonNode? Evaluate(string expression, JsonObject variables)
    {
        var result = Engine.Evaluate(expression, new ExpressionScope((JsonObject)variables.DeepClone(), null, (JsonObject)Activities.DeepClone(), null, DateTimeOffset.UnixEpoch));
        Assert.True(result.Error is null, $"{expression}: {result.Error?.Message}");
        return result.Value;
    }

    private static bool[] Answers(string expression) => [.. Samples.Select(s => Evaluate(expression, s)!.GetValue<bool>())];

    private static ConditionRow Row(string variable, string op, string value = "", ConditionValueKind kind = ConditionValueKind.Text, string join = "&&", bool onList = false) =>
        new(join, variable, op, value, kind, onList);

    public static TheoryData<string> Readable =>
    [
        "risk == \"high\"",
        "ballot_result.outcome == 'passed'",
        "amount >= 5000 && risk != \"low\"",
        "risk == \"high\" || amount > 1000 && agreed == true",
        "(risk == \"high\" || amount > 1000) || agreed == false",
        "(amount > 1 && amount < 9000) && risk == 'high'",
        "amount > -1",
        "(string.contains note \"urgent\") && amount > 10",
        "amount > 10 && string.contains note \"urgent\"",
        "!(string.contains note \"urgent\")",
        "(array.contains tags \"urgent\") || risk == \"low\"",
        "(string.empty note)",
        "!(string.empty note) && agreed == true",
        "(array.size tags) == 0",
        "(array.size tags) > 0 && risk == \"medium\"",
        "note == \"say \\\"hi\\\"\"",
        "activities.review.outcome == \"accept\"",
    ];

    [Theory]
    [MemberData(nameof(Readable))]
    public void AnExpressionTheRowsCanSay_IsReadAndWrittenBackWithTheSameMeaning(string expression)
    {
        var rows = GuidedCondition.Read(expression);

        Assert.NotNull(rows);
        var written = GuidedCondition.Write(rows);
        var samples = expression.Contains("ballot_result", StringComparison.Ordinal) ? [] : Answers(expression);
        if (samples.Length > 0)
        {
            Assert.Equal(samples, Answers(written));
        }

        // Written once, the text is stable: reading and writing again changes nothing.
        Assert.Equal(written, GuidedCondition.Write(GuidedCondition.Read(written)!));
        Assert.Equal(rows, GuidedCondition.Read(written));
    }

    public static TheoryData<string> NotRows =>
    [
        // The call would take "urgent" && amount > 10 as its argument: reading it as two rows would change what it means.
        "string.contains note \"urgent\" && amount > 10",
        "risk == \"high\" && (amount > 1 || agreed == true)",
        "!(amount > 10)",
        "risk == other",
        "\"high\" == risk",
        "note == null",
        "tags[0] == \"urgent\"",
        "risk | string.upcase == \"HIGH\"",
        "amount + 1 > 10",
        "agreed",
        "date.parse x > now",
        "risk == \"a\\u0041\"",
        "amount > 1e3",
        "risk ==",
        "(risk == \"high\"",
        "(array.size tags) == 1",
        "x.empty?",
    ];

    [Theory]
    [MemberData(nameof(NotRows))]
    public void AnExpressionTheRowsCannotSay_IsLeftToTheExpert(string expression) =>
        Assert.Null(GuidedCondition.Read(expression));

    [Fact]
    public void RowsJoinedByAndAndOr_AreWrittenWithBrackets_AndEvaluateAsTheRowsSay()
    {
        IReadOnlyList<ConditionRow> rows =
        [
            Row("risk", "==", "high"),
            Row("amount", ">=", "5000", ConditionValueKind.Number, join: "||"),
            Row("tags", "contains", "elderly", join: "&&", onList: true),
            Row("note", "!empty"),
        ];

        var expression = GuidedCondition.Write(rows);

        Assert.Equal("risk == \"high\" || (amount >= 5000 && (array.contains tags \"elderly\") && !(string.empty note))", expression);
        Assert.Equal(
            [.. Samples.Select(s => s["risk"]!.GetValue<string>() == "high"
                || (Yishi.Designer.Canvas.JsonNumbers.Read(s["amount"]) >= 5000 && (s["tags"] as JsonArray ?? []).Any(t => t!.GetValue<string>() == "elderly") && !string.IsNullOrEmpty(s["note"]?.GetValue<string>())))],
            Answers(expression));
    }

    [Fact]
    public void AValueIsQuoted_UnlessItIsANumberOrTrueOrFalse_ForTheVariablesType()
    {
        Assert.Equal(ConditionValueKind.Number, GuidedCondition.KindFor("number", "12.5"));
        Assert.Equal(ConditionValueKind.Text, GuidedCondition.KindFor("number", "twelve"));
        Assert.Equal(ConditionValueKind.Text, GuidedCondition.KindFor("string", "12"));
        Assert.Equal(ConditionValueKind.Boolean, GuidedCondition.KindFor("boolean", "true"));
        Assert.Equal(ConditionValueKind.Number, GuidedCondition.KindFor(null, "-3"));
        Assert.Equal(ConditionValueKind.Text, GuidedCondition.KindFor(null, "高"));

        Assert.Equal("note == \"a \\\"b\\\" \\\\ c\"", GuidedCondition.Write([Row("note", "==", "a \"b\" \\ c")]));
        Assert.Equal("amount < \"twelve\"", GuidedCondition.Write([Row("amount", "<", "twelve", ConditionValueKind.Number)]));
    }

    [Fact]
    public void RowsWithoutAVariable_AreLeftOut_AndNoRowsIsNoCondition()
    {
        Assert.Equal("risk == \"high\"", GuidedCondition.Write([Row("", "==", "x"), Row("risk", "==", "high", join: "||")]));
        Assert.Equal("", GuidedCondition.Write([]));
        Assert.Empty(GuidedCondition.Read("  ")!);
    }
}
