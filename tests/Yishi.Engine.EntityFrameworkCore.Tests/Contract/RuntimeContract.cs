using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Journal;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;

namespace Yishi.Engine.EntityFrameworkCore.Tests.Contract;

/// <summary>The engine end to end on each store: the scenarios written once, run per provider.</summary>
public abstract partial class StoreContract<TProvider>
{
    private const string Mediation = """
        {
          "definitionId": "hello-mediation",
          "name": { "zh-CN": "调解示例", "en": "Mediation example" },
          "variables": [ { "name": "caseTitle", "type": "string" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "review", "type": "HumanTask",
              "properties": { "title": { "zh-CN": "审查", "en": "Review" }, "assignee": { "role": "mediator" }, "outcomes": [ "accept", "decline" ] } },
            { "id": "sign", "type": "HumanTask",
              "properties": { "title": "签署", "assignee": { "role": "mediator" } } },
            { "id": "done", "type": "End", "properties": { "result": "activities.review.outcome" } }
          ],
          "connections": [
            { "from": "start", "to": "review" },
            { "from": "review", "outcome": "accept", "to": "sign" },
            { "from": "review", "outcome": "decline", "to": "done" },
            { "from": "sign", "to": "done" }
          ]
        }
        """;

    private async Task<WorkflowRuntime> RuntimeAsync()
    {
        var runtime = new WorkflowRuntime(Store, Clock, new WorkflowRuntimeOptions { CommitWriters = CommitWriters });
        var published = await runtime.Definitions.PublishDocumentAsync(Mediation, Ct);
        Assert.True(published.Succeeded, string.Join("; ", published.Problems));
        return runtime;
    }

    [Fact]
    public async Task Runtime_StartResumeResume_CompletesWithJournalInOrder()
    {
        await using var runtime = await RuntimeAsync();
        var mediator = Actor.User("u-wang", "mediator");

        var started = await runtime.StartAsync(new StartRequest("hello-mediation", new JsonObject { ["caseTitle"] = "楼上漏水" }, "T-1"), Ct);
        var review = await runtime.ResumeAsync(new ResumeRequest(started.Bookmarks[0].Id, new ResumeInput("accept"), mediator), Ct);
        var sign = await runtime.ResumeAsync(new ResumeRequest(review.Bookmarks[0].Id, new ResumeInput(), mediator), Ct);

        Assert.Equal(InstanceStatus.Waiting, started.InstanceStatus);
        Assert.Equal("review", started.Bookmarks[0].ActivityId);
        Assert.Equal("sign", Assert.Single(review.Bookmarks).ActivityId);
        Assert.Equal(InstanceStatus.Completed, sign.InstanceStatus);
        Assert.Equal("accept", sign.Result!.GetValue<string>());
        var stored = await runtime.FindInstanceAsync(started.InstanceId!, Ct);
        Assert.Equal(InstanceStatus.Completed, stored!.Status);
        Assert.Equal(3, stored.Version);
        var journal = await runtime.ReadJournalAsync(started.InstanceId!, cancellationToken: Ct);
        Assert.Equal(Enumerable.Range(0, journal.Count).Select(i => (long)i), journal.Select(e => e.Sequence));
        Assert.Equal(JournalKind.InstanceStarted, journal[0].Kind);
        Assert.Equal(JournalKind.InstanceCompleted, journal[^1].Kind);
        Assert.Contains(journal, e => e.Kind == JournalKind.BookmarkResumed && e.ActorId == "u-wang" && e.Outcome == "accept");
        Assert.Empty(await runtime.QueryBookmarksAsync(new BookmarkQuery { InstanceId = started.InstanceId }, Ct));
    }

    [Fact]
    public async Task Runtime_HundredParallelResumesOfOneBookmark_ExactlyOneSucceeds()
    {
        await using var runtime = await RuntimeAsync();
        var started = await runtime.StartAsync(new StartRequest("hello-mediation"), Ct);
        var bookmarkId = started.Bookmarks[0].Id;
        var mediator = Actor.User("u-wang", "mediator");

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(i =>
            Task.Run(() => runtime.ResumeAsync(new ResumeRequest(bookmarkId, new ResumeInput(i % 2 == 0 ? "accept" : "decline"), mediator), Ct))));

        Assert.Equal(1, results.Count(r => r.Succeeded));
        Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(StepStatus.Conflict, r.Status));
        var journal = await runtime.ReadJournalAsync(started.InstanceId!, cancellationToken: Ct);
        Assert.Single(journal, e => e.Kind == JournalKind.BookmarkResumed);
    }

    [Fact]
    public async Task Runtime_ManyInstancesConcurrently_AllCommitted()
    {
        await using var runtime = await RuntimeAsync();
        var mediator = Actor.User("u-wang", "mediator");

        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
        {
            var started = await runtime.StartAsync(new StartRequest("hello-mediation"), Ct);
            return await runtime.ResumeAsync(new ResumeRequest(started.Bookmarks[0].Id, new ResumeInput("decline"), mediator), Ct);
        })));

        Assert.All(results, r => Assert.Equal(InstanceStatus.Completed, r.InstanceStatus));
        Assert.Equal(64, (await runtime.QueryInstancesAsync(new InstanceQuery { Status = InstanceStatus.Completed, Limit = 1000 }, Ct)).Count);
    }

    [Fact]
    public async Task Runtime_InvalidResumeInput_WritesNothing()
    {
        await using var runtime = await RuntimeAsync();
        var started = await runtime.StartAsync(new StartRequest("hello-mediation"), Ct);
        var before = await runtime.ReadJournalAsync(started.InstanceId!, cancellationToken: Ct);

        var result = await runtime.ResumeAsync(new ResumeRequest(started.Bookmarks[0].Id, new ResumeInput("maybe"), Actor.User("u", "mediator")), Ct);

        Assert.Equal(StepStatus.InvalidInput, result.Status);
        Assert.Contains(result.Problems, p => p.Property == "outcome");
        Assert.Equal(before.Count, (await runtime.ReadJournalAsync(started.InstanceId!, cancellationToken: Ct)).Count);
        Assert.Null((await Store.FindBookmarkAsync(started.Bookmarks[0].Id, Ct))!.ConsumedAt);
    }

    [Fact]
    public async Task Runtime_EarlyMessage_IsDeliveredWhenTheWaitAppears()
    {
        await using var runtime = new WorkflowRuntime(Store, Clock, new WorkflowRuntimeOptions { CommitWriters = CommitWriters });
        var published = await runtime.Definitions.PublishDocumentAsync("""
            { "definitionId": "referral", "name": "转办回执",
              "variables": [ { "name": "reply", "type": "object" } ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "wait", "type": "WaitForMessage", "properties": { "message": "hotline.reply", "variable": "reply" } },
                { "id": "end", "type": "End", "properties": { "result": "reply.status" } } ],
              "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ] }
            """, Ct);
        Assert.True(published.Succeeded, string.Join("; ", published.Problems));

        var early = await runtime.PublishMessageAsync("hotline.reply", "12345-9", new JsonObject { ["status"] = "closed" }, cancellationToken: Ct);
        var started = await runtime.StartAsync(new StartRequest("referral", CorrelationKey: "12345-9"), Ct);

        Assert.NotNull(early.StoredMessageId);
        var instance = await runtime.FindInstanceAsync(started.InstanceId!, Ct);
        Assert.Equal(InstanceStatus.Completed, instance!.Status);
        Assert.Equal("closed", instance.State.Result!.GetValue<string>());
        Assert.Empty(await Store.FindPendingMessagesAsync("hotline.reply", "12345-9", Clock.GetUtcNow(), Ct));
    }
}
