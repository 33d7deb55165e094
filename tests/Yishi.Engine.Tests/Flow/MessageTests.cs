using Yishi.Engine.Bookmarks;
using Yishi.Engine.Instances;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Flow;

public sealed class MessageTests
{
    private const string Referral = """
        {
          "definitionId": "referral",
          "name": "Wait for the hotline's answer",
          "variables": [ { "name": "answer", "type": "object" } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "wait", "type": "WaitForMessage", "properties": { "message": "hotline.answered", "variable": "answer" } },
            { "id": "end", "type": "End", "properties": { "result": "answer.status" } }
          ],
          "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ]
        }
        """;

    [Fact]
    public async Task Message_AfterWaitBegins_ResumesTheWaitingInstance()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Referral);
        var started = await engine.StartAsync("referral", correlationKey: "T-100");
        var wait = Assert.Single(started.Bookmarks);
        Assert.Equal(BookmarkKind.Message, wait.Kind);
        Assert.Equal(("hotline.answered", "T-100"), (wait.MessageName, wait.CorrelationKey));

        var published = await engine.Runtime.PublishMessageAsync("hotline.answered", "T-100", Json.Object("""{ "status": "resolved" }"""), cancellationToken: TestEngine.Cancellation);

        Assert.Equal([wait.Id], published.DeliveredTo);
        Assert.Null(published.StoredMessageId);
        var instance = await engine.InstanceAsync(started.InstanceId!);
        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal("resolved", instance.State.Result!.GetValue<string>());
    }

    [Fact]
    public async Task Message_OtherCorrelationKey_IsNotDelivered()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Referral);
        var started = await engine.StartAsync("referral", correlationKey: "T-100");

        var published = await engine.Runtime.PublishMessageAsync("hotline.answered", "T-999", Json.Object("""{ "status": "resolved" }"""), cancellationToken: TestEngine.Cancellation);

        Assert.Empty(published.DeliveredTo);
        Assert.NotNull(published.StoredMessageId);
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(started.InstanceId!));
    }

    [Fact]
    public async Task Message_BeforeWaitBegins_IsKeptAndDeliveredWhenTheWaitAppears()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Referral);
        var early = await engine.Runtime.PublishMessageAsync("hotline.answered", "T-200", Json.Object("""{ "status": "early" }"""), cancellationToken: TestEngine.Cancellation);
        Assert.Empty(early.DeliveredTo);
        Assert.NotNull(early.StoredMessageId);
        engine.Clock.Advance(TimeSpan.FromDays(6));

        var started = await engine.StartAsync("referral", correlationKey: "T-200");

        var instance = await engine.InstanceAsync(started.InstanceId!);
        Assert.Equal(InstanceStatus.Completed, instance.Status);
        Assert.Equal("early", instance.State.Result!.GetValue<string>());
        Assert.Empty(await engine.Store.FindPendingMessagesAsync("hotline.answered", "T-200", engine.Clock.GetUtcNow(), TestEngine.Cancellation));
    }

    [Fact]
    public async Task EarlyMessage_TwoWaitsAppear_IsDeliveredOnlyOnce()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Referral);
        await engine.Runtime.PublishMessageAsync("hotline.answered", "T-300", Json.Object("""{ "status": "once" }"""), cancellationToken: TestEngine.Cancellation);

        var first = await engine.StartAsync("referral", correlationKey: "T-300");
        var second = await engine.StartAsync("referral", correlationKey: "T-300");

        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(first.InstanceId!));
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(second.InstanceId!));
    }

    [Fact]
    public async Task EarlyMessage_Expired_IsNotDelivered()
    {
        var retention = TimeSpan.FromDays(2);
        await using var engine = new TestEngine(new WorkflowRuntimeOptions { EarlyMessageRetention = retention });
        await engine.PublishAsync(Referral);
        await engine.Runtime.PublishMessageAsync("hotline.answered", "T-400", Json.Object("""{ "status": "stale" }"""), cancellationToken: TestEngine.Cancellation);
        engine.Clock.Advance(retention + TimeSpan.FromSeconds(1));

        var started = await engine.StartAsync("referral", correlationKey: "T-400");

        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(started.InstanceId!));
        Assert.Equal("wait", Assert.Single(await engine.OpenBookmarksAsync(started.InstanceId!)).ActivityId);
        Assert.Equal(1, await engine.Store.PurgeExpiredMessagesAsync(engine.Clock.GetUtcNow(), TestEngine.Cancellation));
    }

    [Fact]
    public async Task WaitForMessage_CorrelationKeyExpression_WaitsOnComputedKey()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync("""
            {
              "definitionId": "keyed",
              "name": "Keyed wait",
              "variables": [ { "name": "ticket", "type": "number", "required": true } ],
              "activities": [
                { "id": "start", "type": "Start" },
                { "id": "wait", "type": "WaitForMessage", "properties": { "message": "closed", "correlationKey": "\"ticket-\" + ticket" } },
                { "id": "end", "type": "End" }
              ],
              "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ]
            }
            """);

        var started = await engine.StartAsync("keyed", Json.Object("""{ "ticket": 17 }"""));
        var published = await engine.Runtime.PublishMessageAsync("closed", "ticket-17", cancellationToken: TestEngine.Cancellation);

        Assert.Equal("ticket-17", started.Bookmarks[0].CorrelationKey);
        Assert.Single(published.DeliveredTo);
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(started.InstanceId!));
    }

    [Fact]
    public async Task WaitForMessage_NoCorrelationKey_FaultsWithIncident()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Referral);

        var started = await engine.StartAsync("referral");

        Assert.Equal(InstanceStatus.Faulted, started.InstanceStatus);
        Assert.Equal("correlationKey", Assert.Single((await engine.InstanceAsync(started.InstanceId!)).State.Incidents).Property);
    }
}
