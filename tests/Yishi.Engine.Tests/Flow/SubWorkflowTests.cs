using Yishi.Engine.Bookmarks;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

public sealed class SubWorkflowTests
{
    private const string Doubler = """
        {
          "definitionId": "doubler",
          "name": "Doubles a number at once",
          "variables": [ { "name": "x", "type": "number", "required": true } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "end", "type": "End", "properties": { "result": "x * 2" } }
          ],
          "connections": [ { "from": "start", "to": "end" } ]
        }
        """;

    private const string Signature = """
        {
          "definitionId": "signature",
          "name": "Collects a signature",
          "variables": [ { "name": "who", "type": "string" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "sign", "type": "HumanTask", "properties": { "title": "Sign", "assignee": { "role": "party" }, "outcomes": ["signed"] } },
            { "id": "end", "type": "End", "properties": { "result": "\"signed by \" + who" } }
          ],
          "connections": [ { "from": "start", "to": "sign" }, { "from": "sign", "outcome": "signed", "to": "end" } ]
        }
        """;

    /// <summary>A parent that runs a child, optionally confirms by hand, and ends with the child's result.</summary>
    private static string Parent(string child, string input, bool confirmAfterChild = false) => $$"""
        {
          "definitionId": "parent",
          "name": "Parent",
          "variables": [ { "name": "n", "type": "number" }, { "name": "childResult", "type": "any" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "child", "type": "SubWorkflow", "properties": { "definitionId": "{{child}}", "input": {{input}}, "resultVariable": "childResult" } },
            {{(confirmAfterChild ? """{ "id": "confirm", "type": "HumanTask", "properties": { "title": "Confirm", "assignee": { "role": "clerk" } } },""" : "")}}
            { "id": "end", "type": "End", "properties": { "result": "childResult" } },
            { "id": "abandoned", "type": "End", "properties": { "result": "\"child cancelled\"" } }
          ],
          "connections": [
            { "from": "start", "to": "child" },
            {{(confirmAfterChild ? """{ "from": "child", "to": "confirm" }, { "from": "confirm", "to": "end" },""" : """{ "from": "child", "to": "end" },""")}}
            { "from": "child", "outcome": "cancelled", "to": "abandoned" }
          ]
        }
        """;

    [Fact]
    public async Task SubWorkflow_ChildCompletesAtOnce_ParentContinuesInSameStep()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Doubler);
        await engine.PublishAsync(Parent("doubler", """{ "x": "n + 1" }""", confirmAfterChild: true));

        var started = await engine.StartAsync("parent", Json.Object("""{ "n": 20 }"""));

        Assert.Equal(InstanceStatus.Waiting, started.InstanceStatus);
        Assert.Equal("confirm", Assert.Single(started.Bookmarks).ActivityId);
        var parent = await engine.InstanceAsync(started.InstanceId!);
        Assert.Equal(42, parent.State.Variables["childResult"]!.GetValue<int>());
        var childStarted = Assert.Single(await engine.JournalAsync(parent.Id), e => e.Kind == JournalKind.ChildStarted);
        var child = await engine.InstanceAsync(childStarted.Data!["childInstanceId"]!.GetValue<string>());
        Assert.Equal(InstanceStatus.Completed, child.Status);
        Assert.Equal(parent.Id, child.ParentInstanceId);
        Assert.Empty(await engine.Store.ReadOutboxAsync(10, TestEngine.Cancellation));
    }

    [Fact]
    public async Task SubWorkflow_ChildWaits_ParentResumesWhenChildCompletes()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Signature);
        await engine.PublishAsync(Parent("signature", """{ "who": "\"party A\"" }"""));
        var started = await engine.StartAsync("parent");
        var waitForChild = Assert.Single(started.Bookmarks);
        Assert.Equal(BookmarkKind.SubWorkflow, waitForChild.Kind);
        var sign = Assert.Single(await engine.Runtime.QueryBookmarksAsync(new BookmarkQuery { Roles = ["party"] }, TestEngine.Cancellation));
        Assert.Equal(waitForChild.ChildInstanceId, sign.InstanceId);

        var signed = await engine.CompleteAsync(sign.Id, "signed", actor: Actor.User("u-a", "party"));

        Assert.Equal(InstanceStatus.Completed, signed.InstanceStatus);
        var parent = await engine.InstanceAsync(started.InstanceId!);
        Assert.Equal(InstanceStatus.Completed, parent.Status);
        Assert.Equal("signed by party A", parent.State.Result!.GetValue<string>());
        Assert.Empty(await engine.Store.ReadOutboxAsync(10, TestEngine.Cancellation));
    }

    [Fact]
    public async Task SubWorkflow_UnpublishedDefinition_FaultsParentWithIncident()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Parent("not-published", "{}"));

        var started = await engine.StartAsync("parent");

        Assert.Equal(InstanceStatus.Faulted, started.InstanceStatus);
        var parent = await engine.InstanceAsync(started.InstanceId!);
        Assert.Equal(InstanceStatus.Faulted, parent.Status);
        var incident = Assert.Single(parent.State.Incidents);
        Assert.Equal("child", incident.ActivityId);
        Assert.Equal("definitionId", incident.Property);
        Assert.Contains("not-published", incident.Message, StringComparison.Ordinal);
        Assert.Empty(await engine.OpenBookmarksAsync(parent.Id));
        Assert.Single(await engine.Runtime.QueryInstancesAsync(new InstanceQuery(), TestEngine.Cancellation));
    }

    [Fact]
    public async Task Retry_AfterChildDefinitionPublished_StartsChildAndContinues()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Parent("doubler", """{ "x": "n" }"""));
        var started = await engine.StartAsync("parent", Json.Object("""{ "n": 5 }"""));
        Assert.Equal(InstanceStatus.Faulted, started.InstanceStatus);
        await engine.PublishAsync(Doubler);

        var retried = await engine.Runtime.RetryAsync(started.InstanceId!, Actor.System, TestEngine.Cancellation);

        Assert.Equal(InstanceStatus.Completed, retried.InstanceStatus);
        Assert.Equal(10, retried.Result!.GetValue<int>());
    }

    [Fact]
    public async Task SubWorkflow_ChildInputMissingRequiredVariable_FaultsParent()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Doubler);
        await engine.PublishAsync(Parent("doubler", "{}"));

        var started = await engine.StartAsync("parent");

        Assert.Equal(InstanceStatus.Faulted, started.InstanceStatus);
        Assert.Contains("'x' is required", Assert.Single((await engine.InstanceAsync(started.InstanceId!)).State.Incidents).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CancelChild_ParentTakesCancelledOutcome()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Signature);
        await engine.PublishAsync(Parent("signature", "{}"));
        var started = await engine.StartAsync("parent");
        var childId = started.Bookmarks[0].ChildInstanceId!;

        var cancelled = await engine.Runtime.CancelAsync(childId, Actor.User("admin", "admin"), "withdrawn by the applicant", TestEngine.Cancellation);

        Assert.True(cancelled.Succeeded);
        var parent = await engine.InstanceAsync(started.InstanceId!);
        Assert.Equal(InstanceStatus.Completed, parent.Status);
        Assert.Equal("child cancelled", parent.State.Result!.GetValue<string>());
    }

    [Fact]
    public async Task SubWorkflow_InBothForkBranches_OneChildMissing_ParentStaysFaulted()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Doubler);
        await engine.PublishAsync("""
            {
              "definitionId": "two-children",
              "name": "Two children",
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "fork", "type": "Fork", "properties": { "branches": ["a", "b"] } },
                { "id": "missing", "type": "SubWorkflow", "properties": { "definitionId": "not-published" } },
                { "id": "double", "type": "SubWorkflow", "properties": { "definitionId": "doubler", "input": { "x": "1" } } },
                { "id": "after", "type": "HumanTask", "properties": { "title": "After", "assignee": { "role": "clerk" } } },
                { "id": "join", "type": "Join" },
                { "id": "end", "type": "End" }
              ],
              "connections": [
                { "from": "start", "to": "fork" },
                { "from": "fork", "outcome": "a", "to": "missing" },
                { "from": "fork", "outcome": "b", "to": "double" },
                { "from": "double", "to": "after" },
                { "from": "missing", "to": "join" },
                { "from": "after", "to": "join" },
                { "from": "join", "to": "end" }
              ]
            }
            """);

        var started = await engine.StartAsync("two-children");

        Assert.Equal(InstanceStatus.Faulted, started.InstanceStatus);
        Assert.Equal(InstanceStatus.Faulted, await engine.StatusAsync(started.InstanceId!));
        Assert.Empty(await engine.Runtime.QueryBookmarksAsync(new BookmarkQuery { Kind = BookmarkKind.HumanTask }, TestEngine.Cancellation));
    }

    [Fact]
    public async Task Retry_FaultedParentWithFinishedChild_ContinuesBothBranches()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Doubler);
        await engine.PublishAsync("""
            {
              "definitionId": "two-children",
              "name": "Two children",
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "fork", "type": "Fork", "properties": { "branches": ["a", "b"] } },
                { "id": "later", "type": "SubWorkflow", "properties": { "definitionId": "published-later", "input": { "x": "2" } } },
                { "id": "double", "type": "SubWorkflow", "properties": { "definitionId": "doubler", "input": { "x": "1" } } },
                { "id": "after", "type": "HumanTask", "properties": { "title": "After", "assignee": { "role": "clerk" } } },
                { "id": "join", "type": "Join" },
                { "id": "end", "type": "End" }
              ],
              "connections": [
                { "from": "start", "to": "fork" },
                { "from": "fork", "outcome": "a", "to": "later" },
                { "from": "fork", "outcome": "b", "to": "double" },
                { "from": "double", "to": "after" },
                { "from": "later", "to": "join" },
                { "from": "after", "to": "join" },
                { "from": "join", "to": "end" }
              ]
            }
            """);
        var started = await engine.StartAsync("two-children");
        await engine.PublishAsync(Doubler.Replace("\"doubler\"", "\"published-later\"", StringComparison.Ordinal));

        var retried = await engine.Runtime.RetryAsync(started.InstanceId!, Actor.System, TestEngine.Cancellation);
        var dispatched = await engine.Runtime.DispatchOutboxAsync(TestEngine.Cancellation);

        Assert.Equal(InstanceStatus.Waiting, retried.InstanceStatus);
        Assert.Equal(1, dispatched);
        var after = await engine.OpenBookmarkAsync(started.InstanceId!, "after");
        var done = await engine.CompleteAsync(after.Id);
        Assert.Equal(InstanceStatus.Completed, done.InstanceStatus);
    }

    [Fact(Timeout = 30_000)]
    public async Task SubWorkflow_StartingItselfBehindALoopingFork_IsStoppedByOneStepBudget()
    {
        const int budget = 100;
        await using var engine = new TestEngine(new WorkflowRuntimeOptions { StepBudget = budget });
        await engine.PublishAsync("""
            {
              "definitionId": "bomb",
              "name": "Starts itself from every branch of a looping fork",
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "fork", "type": "Fork", "properties": { "branches": ["again", "left", "right"] } },
                { "id": "left", "type": "SubWorkflow", "properties": { "definitionId": "bomb" } },
                { "id": "right", "type": "SubWorkflow", "properties": { "definitionId": "bomb" } },
                { "id": "end", "type": "End" }
              ],
              "connections": [
                { "from": "start", "to": "fork" },
                { "from": "fork", "outcome": "again", "to": "fork" },
                { "from": "fork", "outcome": "left", "to": "left" },
                { "from": "fork", "outcome": "right", "to": "right" },
                { "from": "left", "to": "end" },
                { "from": "right", "to": "end" },
                { "from": "left", "outcome": "cancelled", "to": "end" },
                { "from": "right", "outcome": "cancelled", "to": "end" }
              ]
            }
            """);

        var started = await Task.Run(() => engine.StartAsync("bomb"), TestEngine.Cancellation);

        Assert.True(started.Succeeded);
        var instances = await engine.Runtime.QueryInstancesAsync(new InstanceQuery { Limit = 10_000 }, TestEngine.Cancellation);
        // Every instance costs at least one activity of the shared budget (its Start); without sharing it would be branches^depth.
        Assert.InRange(instances.Count, 2, budget + 1);
        Assert.Contains(instances, i => i.Status == InstanceStatus.Faulted);
    }
}
