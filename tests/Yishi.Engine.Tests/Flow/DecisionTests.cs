using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

public sealed class DecisionTests
{
    private static string Triage(string condition) => $$"""
        {
          "definitionId": "triage",
          "name": "Triage",
          "variables": [ { "name": "risk", "type": "string" }, { "name": "score", "type": "number" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "isHigh", "type": "Decision", "properties": { "condition": {{System.Text.Json.JsonSerializer.Serialize(condition)}} } },
            { "id": "high", "type": "End", "properties": { "result": "\"high\"" } },
            { "id": "low", "type": "End", "properties": { "result": "\"low\"" } }
          ],
          "connections": [
            { "from": "start", "to": "isHigh" },
            { "from": "isHigh", "outcome": "true", "to": "high" },
            { "from": "isHigh", "outcome": "false", "to": "low" }
          ]
        }
        """;

    [Theory]
    [InlineData("""{ "risk": "high", "score": 3 }""", "high")]
    [InlineData("""{ "risk": "low", "score": 3 }""", "low")]
    [InlineData("""{ "risk": "low", "score": 9 }""", "high")]
    public async Task Decision_Condition_TakesTrueOrFalseOutcome(string input, string expected)
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Triage("risk == \"high\" || score > 8"));

        var result = await engine.StartAsync("triage", Json.Object(input));

        Assert.Equal(InstanceStatus.Completed, result.InstanceStatus);
        Assert.Equal(expected, result.Result!.GetValue<string>());
        var decided = Assert.Single(await engine.JournalAsync(result.InstanceId!), e => e.ActivityId == "isHigh");
        Assert.Equal(expected == "high" ? "true" : "false", decided.Outcome);
    }

    [Theory]
    [InlineData("risk", "\"low\"")]
    [InlineData("score", "3")]
    [InlineData("null", "nothing (null)")]
    public async Task Decision_NonBooleanCondition_FaultsWithIncidentOnCondition(string condition, string described)
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Triage(condition));

        var result = await engine.StartAsync("triage", Json.Object("""{ "risk": "low", "score": 3 }"""));

        Assert.Equal(InstanceStatus.Faulted, result.InstanceStatus);
        var instance = await engine.InstanceAsync(result.InstanceId!);
        var incident = Assert.Single(instance.State.Incidents);
        Assert.Equal("isHigh", incident.ActivityId);
        Assert.Equal("condition", incident.Property);
        Assert.Contains(described, incident.Message, StringComparison.Ordinal);
        Assert.Equal(TokenStatus.Faulted, Assert.Single(instance.State.Tokens).Status);
        Assert.Contains(await engine.JournalAsync(result.InstanceId!), e => e.Kind == JournalKind.IncidentRaised && e.ActivityId == "isHigh");
    }

    [Fact]
    public async Task Decision_ConditionFailsAtRuntime_FaultsWithExpressionMessage()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Triage("score // 0 > 1"));

        var result = await engine.StartAsync("triage", Json.Object("""{ "risk": "low", "score": 3 }"""));

        Assert.Equal(InstanceStatus.Faulted, result.InstanceStatus);
        var incident = Assert.Single((await engine.InstanceAsync(result.InstanceId!)).State.Incidents);
        Assert.Equal("condition", incident.Property);
        Assert.Contains("divide by zero", incident.Message, StringComparison.Ordinal);
    }
}
