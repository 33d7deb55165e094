using System.Text.Json.Nodes;
using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Outbox;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Consultations;

/// <summary>
/// A Consultation writes one outbox row for the host and waits on a bookmark named by that row; only the host (the
/// system) resumes it, with the summary and counts that later steps read.
/// </summary>
public sealed class ConsultationActivityTests
{
    private static string Workflow(string properties) => $$"""
        {
          "definitionId": "ask",
          "name": "Ask the residents",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "consult", "type": "Consultation", "properties": {{properties}} },
            { "id": "end", "type": "End", "properties": { "result": "activities.consult.support" } }
          ],
          "connections": [ { "from": "start", "to": "consult" }, { "from": "consult", "to": "end" } ]
        }
        """;

    private const string Opinions = """{ "topic": "加装电梯", "description": "三号楼加装电梯方案", "duration": { "workingDays": 2 }, "sensitiveWords": [ "骗子" ] }""";

    [Fact]
    public async Task Execute_WritesOneRowForTheHost_AndWaitsOnABookmarkNamedByIt()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Workflow(Opinions));

        var started = await engine.StartAsync("ask");

        var row = Assert.Single(await engine.Store.ReadOutboxAsync(10, OutboxKinds.Consultation, TestEngine.Cancellation));
        var bookmark = Assert.Single(started.Bookmarks);
        // Friday 10:00 in China + 2 working days = Tuesday 10:00.
        var closesAt = new DateTimeOffset(2025, 3, 11, 2, 0, 0, TimeSpan.Zero);
        Assert.Equal(InstanceStatus.Waiting, started.InstanceStatus);
        Assert.Equal(BookmarkKind.Consultation, bookmark.Kind);
        Assert.Equal(closesAt, bookmark.DueAt);
        Assert.Equal(row.Id, bookmark.CorrelationKey);
        Assert.Equal(row.Id, bookmark.Payload!["consultationId"]!.GetValue<string>());
        Assert.Equal("加装电梯", row.Payload["topic"]!.GetValue<string>());
        Assert.Equal("opinions", row.Payload["kind"]!.GetValue<string>());
        Assert.Equal(3, row.Payload["reportThreshold"]!.GetValue<int>());
        Assert.Equal(["骗子"], row.Payload["sensitiveWords"]!.AsArray().Select(w => w!.GetValue<string>()));
        Assert.Equal(TestEngine.Epoch, row.Payload["opensAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(closesAt, row.Payload["closesAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(started.InstanceId, row.Payload["instanceId"]!.GetValue<string>());
        Assert.Equal("consult", row.Payload["activityId"]!.GetValue<string>());
        Assert.Equal("ask", row.Payload["definitionId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Execute_AnEvaluation_CarriesItsQuestions()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Workflow("""
            { "topic": "楼道保洁效果", "duration": "P7D", "kind": "evaluation", "reportThreshold": 5,
              "questions": [ { "id": "clean", "text": "楼道更干净了吗？" }, { "id": "on-time", "text": "保洁是否准时？" } ] }
            """));

        await engine.StartAsync("ask");

        var row = Assert.Single(await engine.Store.ReadOutboxAsync(10, OutboxKinds.Consultation, TestEngine.Cancellation));
        Assert.Equal("evaluation", row.Payload["kind"]!.GetValue<string>());
        Assert.Equal(5, row.Payload["reportThreshold"]!.GetValue<int>());
        Assert.Equal(["clean", "on-time"], row.Payload["questions"]!.AsArray().Select(q => q!["id"]!.GetValue<string>()));
        Assert.Equal(TestEngine.Epoch.AddDays(7), row.Payload["closesAt"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task ClosingTimePassing_DoesNotMoveTheCase_TheSummaryDoes()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Workflow(Opinions));
        var started = await engine.StartAsync("ask");
        var bookmark = Assert.Single(started.Bookmarks);
        engine.Clock.Advance(TimeSpan.FromDays(30));

        var sweep = await engine.Runtime.FireDueTimersAsync(cancellationToken: TestEngine.Cancellation);
        Assert.Empty(sweep.Fired);
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(started.InstanceId!));

        var resumed = await engine.CompleteAsync(bookmark.Id, "done", new JsonObject { ["support"] = 7, ["oppose"] = 2, ["summary"] = "多数支持" });

        Assert.Equal(InstanceStatus.Completed, resumed.InstanceStatus);
        Assert.Equal(7, resumed.Result!.GetValue<int>());
        var output = (await engine.InstanceAsync(started.InstanceId!)).State.Activities["consult"]!;
        Assert.Equal(bookmark.CorrelationKey, output["consultationId"]!.GetValue<string>());
        Assert.Equal("多数支持", output["summary"]!.GetValue<string>());
    }

    [Fact]
    public async Task Resume_ByAPerson_IsRefused()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Workflow(Opinions));
        var bookmark = Assert.Single((await engine.StartAsync("ask")).Bookmarks);

        var result = await engine.ResumeAsync(bookmark.Id, null, new JsonObject { ["support"] = 99 }, Actor.User("u-1", "resident"));

        Assert.Equal(StepStatus.Forbidden, result.Status);
    }

    [Theory]
    [InlineData(null, "data")]
    [InlineData("approved", "outcome")]
    public async Task Resume_WithoutASummaryOrByAnotherOutcome_IsInvalidInput(string? outcome, string property)
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Workflow(Opinions));
        var bookmark = Assert.Single((await engine.StartAsync("ask")).Bookmarks);

        var result = await engine.ResumeAsync(bookmark.Id, outcome, outcome is null ? null : new JsonObject { ["support"] = 1 });

        Assert.Equal(StepStatus.InvalidInput, result.Status);
        Assert.Contains(result.Problems, p => p.Property == property);
    }

    [Theory]
    [InlineData("""{ "duration": "P7D" }""", "topic")]
    [InlineData("""{ "topic": "t" }""", "duration")]
    [InlineData("""{ "topic": "t", "duration": "soon" }""", "duration")]
    [InlineData("""{ "topic": "t", "duration": "P7D", "kind": "vote" }""", "kind")]
    [InlineData("""{ "topic": "t", "duration": "P7D", "kind": "evaluation" }""", "questions")]
    [InlineData("""{ "topic": "t", "duration": "P7D", "kind": "evaluation", "questions": [] }""", "questions")]
    [InlineData("""{ "topic": "t", "duration": "P7D", "kind": "evaluation", "questions": [ { "id": "Bad Id", "text": "x" } ] }""", "questions")]
    [InlineData("""{ "topic": "t", "duration": "P7D", "kind": "evaluation", "questions": [ { "id": "a", "text": "x" }, { "id": "a", "text": "y" } ] }""", "questions")]
    [InlineData("""{ "topic": "t", "duration": "P7D", "attachments": [ { "name": "plan", "url": "ftp://x/plan.pdf" } ] }""", "attachments")]
    [InlineData("""{ "topic": "t", "duration": "P7D", "attachments": { "name": "plan" } }""", "attachments")]
    [InlineData("""{ "topic": "t", "duration": "P7D", "reportThreshold": 0 }""", "reportThreshold")]
    [InlineData("""{ "topic": "t", "duration": "P7D", "reportThreshold": 2.5 }""", "reportThreshold")]
    [InlineData("""{ "topic": "t", "duration": "P7D", "sensitiveWords": [ "" ] }""", "sensitiveWords")]
    public async Task ABadConsultation_IsRefusedAtItsProperty(string properties, string property)
    {
        await using var engine = new TestEngine();

        var saved = await engine.Runtime.Definitions.SaveDraftAsync(Workflow(properties), TestEngine.Cancellation);

        Assert.Contains(saved.Problems, p => p.ActivityId == "consult" && p.Property == property && p.Severity == ProblemSeverity.Error);
    }

    [Fact]
    public async Task AGoodConsultation_WithLinksAndDocuments_HasNoProblems()
    {
        await using var engine = new TestEngine();

        var saved = await engine.Runtime.Definitions.SaveDraftAsync(Workflow("""
            { "topic": "t", "duration": { "workingDays": 10 },
              "attachments": [ { "name": "方案.pdf", "url": "https://example.org/plan.pdf" }, { "document": "i-1-o2" } ] }
            """), TestEngine.Cancellation);

        Assert.DoesNotContain(saved.Problems, p => p.ActivityId == "consult");
    }
}
