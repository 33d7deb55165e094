using System.Text.Json.Nodes;
using Yishi.Engine.Instances;
using Yishi.Engine.Outbox;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Placeholders;

/// <summary>
/// One definition serves every case: a ballot's title and a consultation's topic and description take
/// <c>{{ expression }}</c> placeholders filled from the case when the step runs, checked like any expression when saved.
/// </summary>
public sealed class TextPlaceholderTests
{
    private static string Workflow(string type, string properties) => $$"""
        {
          "definitionId": "per-case",
          "name": "Per case",
          "variables": [ { "name": "village", "type": "string" }, { "name": "topic", "type": "string" }, { "name": "round", "type": "number", "default": 2 } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "step", "type": "{{type}}", "properties": {{properties}} },
            { "id": "end", "type": "End" }
          ],
          "connections": [
            { "from": "start", "to": "step" },
            { "from": "step", "outcome": "{{(type == "Ballot" ? "passed" : "done")}}", "to": "end" },
            {{(type == "Ballot" ? """{ "from": "step", "outcome": "rejected", "to": "end" }, { "from": "step", "outcome": "no_quorum", "to": "end" }""" : "")}}
          ]
        }
        """;

    [Fact]
    public async Task ABallotTitle_IsFilledPerLocale_FromTheCase()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Workflow("Ballot", """
            { "title": { "zh-CN": "{{ village }}村规民约（第{{ round }}次表决）", "en": "Rules of {{ village }}, vote {{ round }}" },
              "rule": "simple-majority", "notice": { "days": 1 }, "votingPeriod": { "days": 1 } }
            """));

        var started = await engine.StartAsync("per-case", new JsonObject { ["village"] = "东坪" });
        Assert.Equal(InstanceStatus.Waiting, started.InstanceStatus);

        var row = Assert.Single(await engine.Store.ReadOutboxAsync(10, OutboxKinds.Ballot, TestEngine.Cancellation));
        Assert.Equal("东坪村规民约（第2次表决）", row.Payload["title"]!["zh-CN"]!.GetValue<string>());
        Assert.Equal("Rules of 东坪, vote 2", row.Payload["title"]!["en"]!.GetValue<string>());
        // The motion on the title reads the filled title too.
        Assert.Equal("东坪村规民约（第2次表决）", row.Payload["questions"]![0]!["text"]!["zh-CN"]!.GetValue<string>());
        Assert.Equal("Rules of 东坪, vote 2", Assert.Single(started.Bookmarks).Payload!["title"]!["en"]!.GetValue<string>());
    }

    [Fact]
    public async Task AConsultationTopic_IsTheCasesTopic()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Workflow("Consultation", """{ "topic": "{{ topic }}", "description": "议题：{{ topic }}。请发表意见。", "duration": "P7D" }"""));

        await engine.StartAsync("per-case", new JsonObject { ["topic"] = "小区停车位划线" });

        var row = Assert.Single(await engine.Store.ReadOutboxAsync(10, OutboxKinds.Consultation, TestEngine.Cancellation));
        Assert.Equal("小区停车位划线", row.Payload["topic"]!.GetValue<string>());
        Assert.Equal("议题：小区停车位划线。请发表意见。", row.Payload["description"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("")]
    [InlineData("x")]
    public async Task ATopicEmptyOrTooLongOnceFilled_FaultsAtTheTopic(string repeated)
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Workflow("Consultation", """{ "topic": "{{ topic }}", "duration": "P7D" }"""));

        var started = await engine.TryStartAsync("per-case", new JsonObject { ["topic"] = string.Concat(Enumerable.Repeat(repeated, 201)) });

        Assert.Equal(InstanceStatus.Faulted, await engine.StatusAsync(started.InstanceId!));
        Assert.Empty(await engine.Store.ReadOutboxAsync(10, OutboxKinds.Consultation, TestEngine.Cancellation));
    }

    [Fact]
    public async Task APlaceholderReadingAnUndeclaredName_IsAnErrorAtItsLocale()
    {
        await using var engine = new TestEngine();

        var saved = await engine.Runtime.Definitions.SaveDraftAsync(Workflow("Ballot", """
            { "title": { "zh-CN": "{{ vilage }}村规民约", "en": "Rules" }, "rule": "simple-majority", "notice": { "days": 1 }, "votingPeriod": { "days": 1 } }
            """), TestEngine.Cancellation);

        var problem = Assert.Single(saved.Problems, p => p.Severity == ProblemSeverity.Error);
        Assert.Equal(("step", "title", ProblemCodes.UnknownVariable), (problem.ActivityId, problem.Property, problem.Code));
        Assert.Equal("/activities/1/properties/title/zh-CN", problem.Path);
        Assert.Contains("vilage", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TextWithoutPlaceholders_IsKeptAsWritten_BracesAndAll()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Workflow("Consultation", """{ "topic": "花括号 { 不是占位符 }", "duration": "P7D" }"""));

        await engine.StartAsync("per-case");

        var row = Assert.Single(await engine.Store.ReadOutboxAsync(10, OutboxKinds.Consultation, TestEngine.Cancellation));
        Assert.Equal("花括号 { 不是占位符 }", row.Payload["topic"]!.GetValue<string>());
    }
}
