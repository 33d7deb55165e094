using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

public sealed class LoopTests
{
    private const int Budget = 50;

    private static string Counter(string condition) => $$"""
        {
          "definitionId": "counter",
          "name": "A loop that never waits",
          "variables": [ { "name": "n", "type": "number", "default": 0 } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "increment", "type": "SetVariable", "properties": { "variable": "n", "value": "n + 1" } },
            { "id": "again", "type": "Decision", "properties": { "condition": "{{condition}}" } },
            { "id": "end", "type": "End", "properties": { "result": "n" } }
          ],
          "connections": [
            { "from": "start", "to": "increment" },
            { "from": "increment", "to": "again" },
            { "from": "again", "outcome": "true", "to": "increment" },
            { "from": "again", "outcome": "false", "to": "end" }
          ]
        }
        """;

    [Fact]
    public async Task LoopWithoutWait_StepBudgetSpent_FaultsWithIncident()
    {
        await using var engine = new TestEngine(new WorkflowRuntimeOptions { StepBudget = Budget });
        await engine.PublishAsync(Counter("true"));

        var result = await engine.StartAsync("counter");

        Assert.Equal(InstanceStatus.Faulted, result.InstanceStatus);
        var instance = await engine.InstanceAsync(result.InstanceId!);
        var incident = Assert.Single(instance.State.Incidents);
        Assert.Contains("step budget", incident.Message, StringComparison.Ordinal);
        // Start is step 1, then increment (even steps) and again (odd steps) alternate: the budget's last step is an increment.
        Assert.Equal(Budget / 2, instance.State.Variables["n"]!.GetValue<int>());
        Assert.Equal(InstanceStatus.Faulted, await engine.StatusAsync(result.InstanceId!));
    }

    [Fact]
    public async Task Retry_LoopThatNeverEnds_FaultsAgainWithNewIncident()
    {
        await using var engine = new TestEngine(new WorkflowRuntimeOptions { StepBudget = Budget });
        await engine.PublishAsync(Counter("true"));
        var started = await engine.StartAsync("counter");
        var firstIncident = Assert.Single((await engine.InstanceAsync(started.InstanceId!)).State.Incidents);
        engine.Clock.Advance(TimeSpan.FromMinutes(5));

        var retried = await engine.Runtime.RetryAsync(started.InstanceId!, Actor.User("admin", "admin"), TestEngine.Cancellation);

        Assert.True(retried.Succeeded);
        Assert.Equal(InstanceStatus.Faulted, retried.InstanceStatus);
        var instance = await engine.InstanceAsync(started.InstanceId!);
        var secondIncident = Assert.Single(instance.State.Incidents);
        Assert.NotEqual(firstIncident.Id, secondIncident.Id);
        Assert.Equal(TestEngine.Epoch.AddMinutes(5), secondIncident.At);
        Assert.True(instance.State.Variables["n"]!.GetValue<int>() > Budget / 2);
    }

    [Fact]
    public async Task Retry_LongLoopThatEnds_CompletesOnTheNextBudget()
    {
        await using var engine = new TestEngine(new WorkflowRuntimeOptions { StepBudget = Budget });
        await engine.PublishAsync(Counter("n < 30"));
        var started = await engine.StartAsync("counter");
        Assert.Equal(InstanceStatus.Faulted, started.InstanceStatus);

        var retried = await engine.Runtime.RetryAsync(started.InstanceId!, Actor.System, TestEngine.Cancellation);

        Assert.Equal(InstanceStatus.Completed, retried.InstanceStatus);
        Assert.Equal(30, retried.Result!.GetValue<int>());
        Assert.Empty((await engine.InstanceAsync(started.InstanceId!)).State.Incidents);
    }

    [Fact]
    public async Task Retry_InstanceNotFaulted_ReturnsNotActive()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Counter("n < 3"));
        var completed = await engine.StartAsync("counter");

        var retried = await engine.Runtime.RetryAsync(completed.InstanceId!, Actor.System, TestEngine.Cancellation);

        Assert.Equal(StepStatus.NotActive, retried.Status);
    }

    [Fact]
    public async Task LoopWithHumanTask_RunsSeveralRounds_ThenEnds()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "follow-up",
              "name": "Follow up until resolved",
              "variables": [ { "name": "rounds", "type": "number", "default": 0 } ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "visit", "type": "HumanTask", "properties": { "title": "Visit", "assignee": { "role": "mediator" }, "outcomes": ["again", "resolved"] } },
                { "id": "count", "type": "SetVariable", "properties": { "variable": "rounds", "value": "rounds + 1" } },
                { "id": "end", "type": "End", "properties": { "result": "rounds" } }
              ],
              "connections": [
                { "from": "start", "to": "visit" },
                { "from": "visit", "outcome": "again", "to": "count" },
                { "from": "count", "to": "visit" },
                { "from": "visit", "outcome": "resolved", "to": "end" }
              ]
            }
            """);
        var step = await engine.StartAsync("follow-up");
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (var round = 0; round < 4; round++)
        {
            var bookmark = Assert.Single(step.Bookmarks);
            Assert.True(seen.Add(bookmark.Id), "each round waits on a new bookmark");
            step = await engine.CompleteAsync(bookmark.Id, "again");
            Assert.Equal(InstanceStatus.Waiting, step.InstanceStatus);
        }

        var done = await engine.CompleteAsync(Assert.Single(step.Bookmarks).Id, "resolved");

        Assert.Equal(InstanceStatus.Completed, done.InstanceStatus);
        Assert.Equal(4, done.Result!.GetValue<int>());
    }
}
