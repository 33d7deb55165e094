using System.Text.Json.Nodes;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;
using Yishi.Engine.Validation;

namespace Yishi.Engine.Tests.Resuming;

/// <summary>Resumes of the golden <c>approval.json</c>: a task for mediators with a form.</summary>
public sealed class ResumeTests
{
    private static readonly Actor Mediator = Actor.User("m-1", "mediator");

    /// <summary>An engine with one approval instance waiting on its review task.</summary>
    private sealed record Approval(TestEngine Engine, string InstanceId, string BookmarkId) : IAsyncDisposable
    {
        public static async Task<Approval> StartAsync()
        {
            var engine = new TestEngine();
            await engine.PublishFileAsync("approval.json");
            var started = await engine.StartAsync("approval");
            return new Approval(engine, started.InstanceId!, Assert.Single(started.Bookmarks).Id);
        }

        public Task<StepResult> ResumeAsync(string? outcome, JsonObject? data, Actor? actor = null) => Engine.ResumeAsync(BookmarkId, outcome, data, actor ?? Mediator);

        public ValueTask DisposeAsync() => Engine.DisposeAsync();
    }

    [Fact]
    public async Task Resume_ValidForm_StoresFieldsInVariablesAndCompletes()
    {
        await using var approval = await Approval.StartAsync();
        var engine = approval.Engine;
        var instanceId = approval.InstanceId;

        var result = await approval.ResumeAsync("approve", Json.Object("""{ "summary": "fence dispute settled", "amount": 250, "visitDate": "2025-03-10" }"""));

        Assert.Equal(StepStatus.Succeeded, result.Status);
        Assert.Equal("approved: fence dispute settled", result.Result!.GetValue<string>());
        var variables = (await engine.InstanceAsync(instanceId)).State.Variables;
        Assert.Equal(250, variables["amount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Resume_FormBuiltInCode_IsCheckedLikeParsedJson()
    {
        await using var approval = await Approval.StartAsync();
        var engine = approval.Engine;
        var instanceId = approval.InstanceId;

        var result = await approval.ResumeAsync("approve",
            new JsonObject { ["summary"] = "in code", ["amount"] = 12.5m, ["visitDate"] = new DateTimeOffset(2025, 3, 10, 9, 0, 0, TimeSpan.FromHours(8)) });

        Assert.Equal(StepStatus.Succeeded, result.Status);
        Assert.Equal(12.5, (await engine.InstanceAsync(instanceId)).State.Variables["amount"]!.GetValue<double>());
    }

    [Fact]
    public async Task Resume_FormBuiltInCodeOutOfRange_ReturnsInvalidInput()
    {
        await using var approval = await Approval.StartAsync();

        var result = await approval.ResumeAsync("approve", new JsonObject { ["summary"] = "in code", ["amount"] = 1001 });

        Assert.Equal(StepStatus.InvalidInput, result.Status);
        Assert.Equal("amount", Assert.Single(result.Problems).Property);
    }

    [Fact]
    public async Task Resume_ConsumedBookmark_ReturnsConflict()
    {
        await using var approval = await Approval.StartAsync();
        var engine = approval.Engine;
        var instanceId = approval.InstanceId;
        var bookmarkId = approval.BookmarkId;
        await engine.CompleteAsync(bookmarkId, "reject", Json.Object("""{ "summary": "no basis" }"""), Mediator);
        var journal = await engine.JournalAsync(instanceId);

        var second = await approval.ResumeAsync("approve", Json.Object("""{ "summary": "too late" }"""));

        Assert.Equal(StepStatus.Conflict, second.Status);
        Assert.Equal(ConflictReason.BookmarkConsumed, second.Conflict);
        Assert.Equal(journal.Count, (await engine.JournalAsync(instanceId)).Count);
        Assert.Equal("rejected", (await engine.InstanceAsync(instanceId)).State.Result!.GetValue<string>());
    }

    [Theory]
    [InlineData("maybe", """{ "summary": "x" }""", "outcome", ProblemCodes.InputInvalid)]
    [InlineData(null, """{ "summary": "x" }""", "outcome", ProblemCodes.InputInvalid)]
    [InlineData("approve", """{ "amount": 3 }""", "summary", ProblemCodes.InputMissing)]
    [InlineData("approve", """{ "summary": "" }""", "summary", ProblemCodes.InputMissing)]
    [InlineData("approve", """{ "summary": 42 }""", "summary", ProblemCodes.InputWrongType)]
    [InlineData("approve", """{ "summary": "x", "amount": "many" }""", "amount", ProblemCodes.InputWrongType)]
    [InlineData("approve", """{ "summary": "x", "amount": 5000 }""", "amount", ProblemCodes.InputWrongType)]
    [InlineData("approve", """{ "summary": "x", "visitDate": "next week" }""", "visitDate", ProblemCodes.InputWrongType)]
    [InlineData("approve", """{ "summary": "x", "bribe": 100 }""", "bribe", ProblemCodes.InputUnknown)]
    public async Task Resume_InputNotFittingTheTask_ReturnsInvalidInputAndWritesNothing(string? outcome, string data, string field, string code)
    {
        await using var approval = await Approval.StartAsync();
        var engine = approval.Engine;
        var instanceId = approval.InstanceId;
        var bookmarkId = approval.BookmarkId;
        var before = await engine.InstanceAsync(instanceId);
        var journal = await engine.JournalAsync(instanceId);

        var result = await approval.ResumeAsync(outcome, Json.Object(data));

        Assert.Equal(StepStatus.InvalidInput, result.Status);
        var problem = Assert.Single(result.Problems);
        Assert.Equal((field, code), (problem.Property, problem.Code));
        Assert.True(problem.IsError);
        var after = await engine.InstanceAsync(instanceId);
        Assert.Equal(before.Version, after.Version);
        Assert.Equal(journal.Count, (await engine.JournalAsync(instanceId)).Count);
        Assert.Equal(bookmarkId, Assert.Single(await engine.OpenBookmarksAsync(instanceId)).Id);
    }

    [Fact]
    public async Task Resume_SeveralProblems_ReportsEachField()
    {
        await using var approval = await Approval.StartAsync();

        var result = await approval.ResumeAsync("approve", Json.Object("""{ "amount": -1, "extra": true }"""));

        Assert.Equal(StepStatus.InvalidInput, result.Status);
        Assert.Equal(["amount", "extra", "summary"], result.Problems.Select(p => p.Property!).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("clerk")]
    [InlineData("volunteer")]
    public async Task Resume_ActorWithoutTheTaskRole_ReturnsForbidden(string role)
    {
        await using var approval = await Approval.StartAsync();
        var engine = approval.Engine;
        var instanceId = approval.InstanceId;

        var result = await approval.ResumeAsync("approve", Json.Object("""{ "summary": "x" }"""), Actor.User("u-9", role));

        Assert.Equal(StepStatus.Forbidden, result.Status);
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(instanceId));
        Assert.Single(await engine.OpenBookmarksAsync(instanceId));
    }

    [Fact]
    public async Task Resume_TaskForAnotherUser_ReturnsForbidden()
    {
        await using var engine = new TestEngine();
        await engine.PublishFileAsync("fork-join-all.json");
        var started = await engine.StartAsync("fork-join-all");
        var signA = started.Bookmarks.Single(b => b.UserId == "party-a");

        var byB = await engine.ResumeAsync(signA.Id, "signed", actor: Actor.User("party-b"));
        var byA = await engine.ResumeAsync(signA.Id, "signed", actor: Actor.User("party-a"));

        Assert.Equal(StepStatus.Forbidden, byB.Status);
        Assert.Equal(StepStatus.Succeeded, byA.Status);
    }

    [Fact]
    public async Task Resume_UnknownBookmark_ReturnsNotFound()
    {
        await using var engine = new TestEngine();

        var result = await engine.ResumeAsync("no-such-bookmark");

        Assert.Equal(StepStatus.NotFound, result.Status);
    }

    [Fact]
    public async Task Resume_FaultedInstance_ReturnsNotActive()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "fault-in-branch",
              "name": "One branch faults while the other waits",
              "variables": [ { "name": "v", "type": "any" } ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "fork", "type": "Fork", "properties": { "branches": ["a", "b"] } },
                { "id": "task", "type": "HumanTask", "properties": { "title": "Task", "assignee": { "role": "clerk" } } },
                { "id": "bad", "type": "Decision", "properties": { "condition": "v" } },
                { "id": "end", "type": "End" }
              ],
              "connections": [
                { "from": "start", "to": "fork" },
                { "from": "fork", "outcome": "a", "to": "task" },
                { "from": "fork", "outcome": "b", "to": "bad" },
                { "from": "task", "to": "end" },
                { "from": "bad", "outcome": "true", "to": "end" },
                { "from": "bad", "outcome": "false", "to": "end" }
              ]
            }
            """);
        var started = await engine.StartAsync("fault-in-branch");
        Assert.Equal(InstanceStatus.Faulted, started.InstanceStatus);

        var result = await engine.ResumeAsync(Assert.Single(started.Bookmarks).Id);

        Assert.Equal(StepStatus.NotActive, result.Status);
    }
}
