using Yishi.Engine.Instances;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Timers;

/// <summary>Timers fire when due, once each, however many sweeps look at them.</summary>
public sealed class TimerSweepTests
{
    private const string CoolOff = """
        {
          "definitionId": "cool-off",
          "name": "Cooling-off period",
          "variables": [ { "name": "until", "type": "string", "required": true } ],
          "activities": [
            { "id": "start", "type": "Start" },
            { "id": "wait", "type": "Until", "properties": { "at": "until" } },
            { "id": "end", "type": "End" }
          ],
          "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ]
        }
        """;

    [Fact]
    public async Task Sweep_FiresTheDueTimersOnly_EarliestFirst()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(CoolOff);
        var later = await StartAsync(engine, TimeSpan.FromMinutes(10));
        var soon = await StartAsync(engine, TimeSpan.FromMinutes(2));
        var sooner = await StartAsync(engine, TimeSpan.FromMinutes(1));

        var early = await engine.Runtime.FireDueTimersAsync(cancellationToken: TestEngine.Cancellation);
        engine.Clock.Advance(TimeSpan.FromMinutes(2));
        var due = await engine.Runtime.FireDueTimersAsync(cancellationToken: TestEngine.Cancellation);

        Assert.Empty(early.Fired);
        Assert.Equal([sooner, soon], due.Fired.Select(f => f.InstanceId));
        Assert.All(due.Fired, f => Assert.True(f.Lateness >= TimeSpan.Zero));
        Assert.Equal(InstanceStatus.Completed, await engine.StatusAsync(soon));
        Assert.Equal(InstanceStatus.Waiting, await engine.StatusAsync(later));
        Assert.Equal(TestEngine.Epoch.AddMinutes(10), await engine.Runtime.NextTimerDueAsync(TestEngine.Cancellation));
    }

    [Fact]
    public async Task TwoSweepsAtOnce_FireEachTimerOnce()
    {
        await using var engine = new TestEngine();
        await engine.PublishAsync(CoolOff);
        var ids = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            ids.Add(await StartAsync(engine, TimeSpan.FromSeconds(i + 1)));
        }

        engine.Clock.Advance(TimeSpan.FromMinutes(1));
        var sweeps = await Task.WhenAll(
            engine.Runtime.FireDueTimersAsync(cancellationToken: TestEngine.Cancellation),
            engine.Runtime.FireDueTimersAsync(cancellationToken: TestEngine.Cancellation));

        var fired = sweeps.SelectMany(s => s.Fired).Select(f => f.InstanceId).ToList();
        Assert.Equal(ids.Count, fired.Distinct().Count());
        Assert.Equal(ids.Order(StringComparer.Ordinal), fired.Order(StringComparer.Ordinal));
        foreach (var id in ids)
        {
            var journal = await engine.Runtime.ReadJournalAsync(id, cancellationToken: TestEngine.Cancellation);
            Assert.Single(journal, e => e.Kind == Journal.JournalKind.BookmarkResumed);
        }
    }

    [Fact]
    public async Task Sweeper_SleepsUntilTheNextTimer_AndWakesForAnEarlierOneCommittedMeanwhile()
    {
        await using var engine = new TestEngine(new WorkflowRuntimeOptions { TimerPollInterval = TimeSpan.FromHours(1) });
        await engine.PublishAsync(CoolOff);
        var late = await StartAsync(engine, TimeSpan.FromMinutes(30));
        var sweeper = new TimerSweeper(engine.Runtime, engine.Clock, TimeSpan.FromHours(1));
        var fired = new List<string>();
        var firedSignal = new SemaphoreSlim(0);
        sweeper.Swept += sweep =>
        {
            lock (fired)
            {
                fired.AddRange(sweep.Fired.Select(f => f.InstanceId));
            }

            firedSignal.Release();
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(TestEngine.Cancellation);
        var running = sweeper.RunAsync(stop.Token);

        var early = await StartAsync(engine, TimeSpan.FromMinutes(5));
        await Task.Delay(50, TestEngine.Cancellation); // the sweeper takes note of the earlier timer
        engine.Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await firedSignal.WaitAsync(TimeSpan.FromSeconds(10), TestEngine.Cancellation), "the early timer did not fire");
        engine.Clock.Advance(TimeSpan.FromMinutes(25));
        Assert.True(await firedSignal.WaitAsync(TimeSpan.FromSeconds(10), TestEngine.Cancellation), "the late timer did not fire");
        await stop.CancelAsync();
        await running;

        Assert.Equal([early, late], fired);
    }

    private static async Task<string> StartAsync(TestEngine engine, TimeSpan after)
    {
        var at = engine.Clock.GetUtcNow() + after;
        var started = await engine.Runtime.StartAsync(new StartRequest("cool-off", Json.Object($$"""{ "until": "{{at:O}}" }""")), TestEngine.Cancellation);
        Assert.True(started.Succeeded, started.Message);
        return started.InstanceId!;
    }
}
