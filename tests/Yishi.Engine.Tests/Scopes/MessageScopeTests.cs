using Yishi.Engine.Instances;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Scopes;

/// <summary>A message sent with a scope (an integrator's key for one community) reaches only waits inside it, now or later.</summary>
public sealed class MessageScopeTests
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
    public async Task ScopedMessage_ResumesOnlyTheWaitInsideItsScope()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Referral);
        var haibin = await StartAsync(engine, "/s1/c1/g1/", "T-1");
        var heping = await StartAsync(engine, "/s1/c2/", "T-1");

        var published = await engine.Runtime.PublishMessageAsync("hotline.answered", "T-1", Json.Object("""{ "status": "resolved" }"""), "/s1/c1/", TestEngine.Cancellation);

        Assert.Single(published.DeliveredTo);
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(haibin));
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(heping));
    }

    [Fact]
    public async Task EarlyScopedMessage_IsKeptForAWaitInsideItsScope_NotForOneOutside()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Referral);
        var early = await engine.Runtime.PublishMessageAsync("hotline.answered", "T-2", Json.Object("""{ "status": "early" }"""), "/s1/c2/", TestEngine.Cancellation);

        var outside = await StartAsync(engine, "/s1/c1/", "T-2");
        var inside = await StartAsync(engine, "/s1/c2/c2-g1/", "T-2");

        Assert.NotNull(early.StoredMessageId);
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(outside));
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(inside));
    }

    [Fact]
    public async Task UnscopedMessage_ReachesWaitsEverywhere()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(Referral);
        var one = await StartAsync(engine, "/s1/c1/", "T-3");
        var other = await StartAsync(engine, null, "T-3");

        var published = await engine.Runtime.PublishMessageAsync("hotline.answered", "T-3", Json.Object("""{ "status": "everywhere" }"""), cancellationToken: TestEngine.Cancellation);

        Assert.Equal(2, published.DeliveredTo.Length);
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(one));
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(other));
    }

    private static async Task<string> StartAsync(TestEngine engine, string? scope, string correlationKey)
    {
        var started = await engine.Runtime.StartAsync(new StartRequest("referral", CorrelationKey: correlationKey, Scope: scope), TestEngine.Cancellation);
        Assert.True(started.Succeeded, started.Message);
        return started.InstanceId!;
    }
}
