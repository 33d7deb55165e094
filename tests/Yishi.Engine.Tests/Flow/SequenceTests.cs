using Yishi.Engine.Bookmarks;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

public sealed class SequenceTests
{
    private const string Approval = """
        {
          "definitionId": "simple",
          "name": "Simple approval",
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "review", "type": "HumanTask", "properties": { "title": "Review", "assignee": { "role": "mediator" }, "outcomes": ["approve", "reject"] } },
            { "id": "approved", "type": "End", "properties": { "result": "\"approved\"" } },
            { "id": "rejected", "type": "End", "properties": { "result": "\"rejected\"" } }
          ],
          "connections": [
            { "from": "start", "to": "review" },
            { "from": "review", "outcome": "approve", "to": "approved" },
            { "from": "review", "outcome": "reject", "to": "rejected" }
          ]
        }
        """;

    [Fact]
    public async Task Start_HumanTask_WaitsOnOneTaskBookmark()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Approval);

        var started = await engine.StartAsync("simple");

        Assert.Equal(InstanceStatus.Waiting, started.InstanceStatus);
        var bookmark = Assert.Single(started.Bookmarks);
        Assert.Equal(BookmarkKind.HumanTask, bookmark.Kind);
        Assert.Equal("review", bookmark.ActivityId);
        Assert.Equal("mediator", bookmark.Role);
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(started.InstanceId!));
        Assert.Equal(bookmark.Id, Assert.Single(await engine.OpenBookmarksAsync(started.InstanceId!)).Id);
    }

    [Theory]
    [InlineData("approve", "approved")]
    [InlineData("reject", "rejected")]
    public async Task Resume_HumanTask_FollowsChosenOutcomeToEnd(string outcome, string expectedResult)
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Approval);
        var started = await engine.StartAsync("simple");

        var resumed = await engine.CompleteAsync(started.Bookmarks[0].Id, outcome);

        Assert.Equal(InstanceStatus.Completed, resumed.InstanceStatus);
        Assert.Equal(expectedResult, resumed.Result!.GetValue<string>());
        var instance = await engine.InstanceAsync(started.InstanceId!);
        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal(TestEngine.Epoch, instance.FinishedAt);
        Assert.Empty(instance.State.Tokens);
        Assert.Empty(await engine.OpenBookmarksAsync(started.InstanceId!));
        Assert.Equal(outcome, instance.State.Activities["review"]!["outcome"]!.GetValue<string>());
    }

    [Fact]
    public async Task Journal_StartTaskEnd_RecordsEachStepInOrder()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Approval);
        var started = await engine.StartAsync("simple");
        await engine.CompleteAsync(started.Bookmarks[0].Id, "approve", actor: Execution.Actor.User("u-1", "mediator"));

        var journal = await engine.JournalAsync(started.InstanceId!);

        Assert.Equal(
            [
                (0L, JournalKind.InstanceStarted, null),
                (1L, JournalKind.ActivityCompleted, "start"),
                (2L, JournalKind.BookmarkCreated, "review"),
                (3L, JournalKind.BookmarkResumed, "review"),
                (4L, JournalKind.ActivityCompleted, "review"),
                (5L, JournalKind.ActivityCompleted, "approved"),
                (6L, JournalKind.InstanceCompleted, null),
            ],
            journal.Select(e => (e.Sequence, e.Kind, e.ActivityId)));
        Assert.Equal("u-1", journal[3].ActorId);
        Assert.Equal("approve", journal[4].Outcome);
    }

    [Fact]
    public async Task SetVariable_Expressions_ComputeFromOtherVariablesAndInput()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "calc",
              "name": "Calc",
              "variables": [
                { "name": "a", "type": "number", "default": 2 },
                { "name": "b", "type": "number" },
                { "name": "product", "type": "number" },
                { "name": "label", "type": "string" },
                { "name": "list", "type": "array" },
                { "name": "summary", "type": "object" }
              ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "multiply", "type": "SetVariable", "properties": { "variable": "product", "value": "a * b + 1" } },
                { "id": "name", "type": "SetVariable", "properties": { "variable": "label", "value": "\"case-\" + product" } },
                { "id": "collect", "type": "SetVariable", "properties": { "variable": "list", "value": "[a, b, product]" } },
                { "id": "sum", "type": "SetVariable", "properties": { "variable": "summary", "value": "{ total: list | array.size, big: product > 10 }" } },
                { "id": "end", "type": "End" }
              ],
              "connections": [
                { "from": "start", "to": "multiply" },
                { "from": "multiply", "to": "name" },
                { "from": "name", "to": "collect" },
                { "from": "collect", "to": "sum" },
                { "from": "sum", "to": "end" }
              ]
            }
            """);

        var result = await engine.StartAsync("calc", Json.Object("""{ "b": 3 }"""));

        Assert.Equal(InstanceStatus.Completed, result.InstanceStatus);
        var variables = (await engine.InstanceAsync(result.InstanceId!)).State.Variables;
        Assert.Equal(7, variables["product"]!.GetValue<double>());
        Assert.Equal("case-7", variables["label"]!.GetValue<string>());
        Assert.Equal("[2,3,7]", Json.Text(variables["list"]));
        Assert.Equal("""{"total":3,"big":false}""", Json.Text(variables["summary"]));
    }

    [Fact]
    public async Task End_WithResultExpression_StoresResultOnInstance()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "result",
              "name": "Result",
              "variables": [ { "name": "caseNo", "type": "string" } ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "end", "type": "End", "properties": { "result": "{ case: caseNo, closed: true, at: now }" } }
              ],
              "connections": [ { "from": "start", "to": "end" } ]
            }
            """);

        var result = await engine.StartAsync("result", Json.Object("""{ "caseNo": "2025-017" }"""));

        Assert.Equal(InstanceStatus.Completed, result.InstanceStatus);
        Assert.Equal("2025-017", result.Result!["case"]!.GetValue<string>());
        Assert.True(result.Result["closed"]!.GetValue<bool>());
        Assert.Equal(TestEngine.Epoch, DateTimeOffset.Parse(result.Result["at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Json.Text(result.Result), Json.Text((await engine.InstanceAsync(result.InstanceId!)).State.Result));
    }

    [Fact]
    public async Task HumanTask_WithoutOutcomesProperty_CompletesByDone()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "plain-task",
              "name": "Task with the default outcome",
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "call", "type": "HumanTask", "properties": { "title": "Call the applicant", "assignee": { "role": "mediator" } } },
                { "id": "end", "type": "End" }
              ],
              "connections": [ { "from": "start", "to": "call" }, { "from": "call", "to": "end" } ]
            }
            """);
        var started = await engine.StartAsync("plain-task");

        var resumed = await engine.CompleteAsync(started.Bookmarks[0].Id);

        Assert.Equal(InstanceStatus.Completed, resumed.InstanceStatus);
        Assert.Equal("done", (await engine.JournalAsync(started.InstanceId!)).Single(e => e.Kind == JournalKind.ActivityCompleted && e.ActivityId == "call").Outcome);
    }
}
