using System.Text.Json.Nodes;
using Yishi.Engine.Expressions;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Expressions;

public sealed class ConversionTests
{
    private static readonly ExpressionEngine Engine = new();

    private static ExpressionScope ScopeWith(JsonObject variables, JsonNode? input = null, DateTimeOffset? now = null) =>
        new(variables, input, new JsonObject { ["review"] = new JsonObject { ["outcome"] = "approve" } }, new JsonObject { ["id"] = "i-1" }, now ?? TestEngine.Epoch);

    [Theory]
    [InlineData("1 + 2", "3")]
    [InlineData("9223372036854775807", "9223372036854775807")]
    [InlineData("1.5 * 2", "3")]
    [InlineData("0.1 + 0.2 > 0.3", "true")]
    [InlineData("\"调解\" + \"员\"", "\"调解员\"")]
    [InlineData("true && !false", "true")]
    [InlineData("null", "null")]
    [InlineData("[1, \"a\", true, null, [2]]", "[1,\"a\",true,null,[2]]")]
    [InlineData("{ a: 1, b: { c: [\"x\"] } }", "{\"a\":1,\"b\":{\"c\":[\"x\"]}}")]
    [InlineData("1..3", "[1,2,3]")]
    [InlineData("[3, 1, 2] | array.sort", "[1,2,3]")]
    [InlineData("amount / 4", "62.5")]
    [InlineData("applicant.name | string.upcase", "\"WANG\"")]
    [InlineData("tags | array.size", "2")]
    [InlineData("activities.review.outcome", "\"approve\"")]
    [InlineData("input.extra", "7")]
    [InlineData("instance.id", "\"i-1\"")]
    public void Evaluate_Result_ConvertsToJson(string text, string json)
    {
        var scope = ScopeWith(Json.Object("""{ "amount": 250, "applicant": { "name": "wang" }, "tags": ["noise", "neighbours"] }"""), Json.Object("""{ "extra": 7 }"""));

        var result = Engine.Evaluate(text, scope);

        Assert.Null(result.Error);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(json), result.Value), $"Expected {json}, got {Json.Text(result.Value)}");
    }

    [Fact]
    public void Evaluate_ValuesBuiltInCode_AreReadLikeParsedOnes()
    {
        var scope = ScopeWith(new JsonObject { ["amount"] = 250, ["rate"] = 0.5m, ["name"] = "Wang", ["ok"] = true, ["at"] = TestEngine.Epoch, ["list"] = new JsonArray(1, 2) });

        var result = Engine.Evaluate("[amount * rate, name, ok, at, list | array.size]", scope);

        Assert.Null(result.Error);
        Assert.Equal("125", result.Value![0]!.ToJsonString());
        Assert.Equal("Wang", result.Value[1]!.GetValue<string>());
        Assert.True(result.Value[2]!.GetValue<bool>());
        Assert.Equal(2, result.Value[4]!.GetValue<int>());
    }

    [Fact]
    public void Evaluate_Now_IsTheEngineClock()
    {
        var pinned = new DateTimeOffset(2031, 12, 31, 23, 59, 0, TimeSpan.Zero);

        var now = Engine.Evaluate("now", ScopeWith([], now: pinned));
        var tomorrow = Engine.Evaluate("date.add_days now 1 | date.to_string \"%F\"", ScopeWith([], now: pinned));

        Assert.Equal(pinned, DateTimeOffset.Parse(now.Value!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2032-01-01", tomorrow.Value!.GetValue<string>());
    }

    [Fact]
    public async Task Workflow_Now_FollowsTheFakeClock()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "stamp",
              "name": "Stamp",
              "variables": [ { "name": "stampedAt", "type": "datetime" } ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "wait", "type": "HumanTask", "properties": { "title": "Wait", "assignee": { "role": "clerk" } } },
                { "id": "stamp", "type": "SetVariable", "properties": { "variable": "stampedAt", "value": "now" } },
                { "id": "end", "type": "End" }
              ],
              "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "stamp" }, { "from": "stamp", "to": "end" } ]
            }
            """);
        var started = await engine.StartAsync("stamp");
        engine.Clock.Advance(TimeSpan.FromDays(400));

        await engine.CompleteAsync(started.Bookmarks[0].Id);

        var stamped = (await engine.InstanceAsync(started.InstanceId!)).State.Variables["stampedAt"]!.GetValue<string>();
        Assert.Equal(TestEngine.Epoch.AddDays(400), DateTimeOffset.Parse(stamped, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("1 / 0")]
    [InlineData("1e308 * 10")]
    [InlineData("amount // 0")]
    [InlineData("nothing.at.all")]
    [InlineData("string.no_such_function \"x\"")]
    public void Evaluate_RuntimeFailure_ReturnsErrorNotException(string text)
    {
        var result = Engine.Evaluate(text, ScopeWith(Json.Object("""{ "amount": 1 }""")));

        Assert.Null(result.Value);
        Assert.NotNull(result.Error);
        Assert.StartsWith("The expression failed", result.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_RuntimeFailure_HasPositionInTheExpression()
    {
        var result = Engine.Evaluate("x = amount + 1\nx // 0", ScopeWith(Json.Object("""{ "amount": 1 }""")));

        Assert.Equal(new SourcePosition(2, 3), result.Error!.Position);
    }
}
