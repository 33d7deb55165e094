using System.Text.Json.Nodes;
using Yishi.Engine.Activities;
using Yishi.Engine.Execution;
using Yishi.Engine.Instances;
using Yishi.Engine.Persistence;
using Yishi.Engine.Runtime;
using Yishi.Engine.Tests.Support;

namespace Yishi.Engine.Tests.Fuzzing;

/// <summary>
/// Random definitions that validate are published, started with random input and driven by random resumes,
/// messages, cancels, retries and clock jumps. Nothing may throw, and after every call the stored instances
/// must be in a consistent state.
/// </summary>
public sealed class RuntimeFuzzTests
{
    private const int HangGuard = 60_000;
    private static readonly int Rounds = int.TryParse(Environment.GetEnvironmentVariable("YISHI_FUZZ_ROUNDS"), out var rounds) ? rounds : 150;
    private static readonly Actor[] Actors = [Actor.System, Actor.User("u-1", "clerk"), Actor.User("u-2", "guest")];

    [Theory(Timeout = HangGuard)]
    [InlineData(21)]
    [InlineData(22)]
    [InlineData(23)]
    public async Task Drive_RandomValidDefinitions_NeverThrowsAndKeepsInstancesConsistent(int seed)
    {
        var random = FuzzChecks.Random(seed);
        var definitions = new RandomDefinitions(random);
        var published = 0;
        var steps = 0;

        for (var round = 0; round < Rounds; round++)
        {
            await using var engine = new TestEngine(new WorkflowRuntimeOptions { StepBudget = 200, Expressions = new() { TimeLimit = TimeSpan.FromMilliseconds(200) } });
            var child = definitions.Next("fuzz-child");
            var json = definitions.Next();
            // The child is optional: a SubWorkflow to a definition that did not publish must fault, not crash.
            await TryPublishAsync(engine, child);
            if (!await TryPublishAsync(engine, json))
            {
                continue;
            }

            published++;
            var trace = json + "\n--- child ---\n" + child;
            for (var start = 0; start < 2; start++)
            {
                var input = definitions.Input();
                var key = random.Next(3) == 0 ? null : $"k{random.Next(2)}";
                var result = await FuzzChecks.NoThrowAsync(() => engine.TryStartAsync("fuzz", Json.Object(input), key), "Start", trace + "\n--- input ---\n" + input);
                Assert.NotNull(result);
                await AssertConsistentAsync(engine, trace);
            }

            for (var step = 0; step < 15; step++, steps++)
            {
                var action = await FuzzChecks.NoThrowAsync(() => StepAsync(engine, random, definitions), "A step", trace);
                trace += "\n--- " + action;
                await AssertConsistentAsync(engine, trace);
            }
        }

        Assert.True(published >= 10, $"Only {published} random definitions were valid; the generator needs tuning.");
        Assert.True(steps > 0);
    }

    private static async Task<bool> TryPublishAsync(TestEngine engine, string json)
    {
        var result = await FuzzChecks.NoThrowAsync(() => engine.Runtime.Definitions.PublishDocumentAsync(json, TestEngine.Cancellation), "Publish", json);
        Assert.True(result.Succeeded || result.Problems.Any(p => p.IsError), "A refused publish must say why:\n" + json);
        return result.Succeeded;
    }

    /// <summary>One random action; returns what it did, for the failure message.</summary>
    private static async Task<string> StepAsync(TestEngine engine, Random random, RandomDefinitions definitions)
    {
        var open = await engine.Runtime.QueryBookmarksAsync(new BookmarkQuery { Limit = 50 }, TestEngine.Cancellation);
        var instances = await engine.Runtime.QueryInstancesAsync(new InstanceQuery(), TestEngine.Cancellation);
        switch (random.Next(10))
        {
            case < 6 when open.Count > 0:
                var bookmark = open[random.Next(open.Count)];
                var outcomes = bookmark.Payload?["outcomes"]?.AsArray().Select(o => o!.GetValue<string>()).ToList() ?? [];
                var outcome = random.Next(5) == 0 ? "zzz" : outcomes.Count > 0 && random.Next(4) > 0 ? outcomes[random.Next(outcomes.Count)] : null;
                var data = definitions.Input().Replace("\"v", "\"f", StringComparison.Ordinal);
                var resumed = await engine.Runtime.ResumeAsync(new ResumeRequest(bookmark.Id, new ResumeInput(outcome, Json.Object(data)), Actors[random.Next(Actors.Length)]), TestEngine.Cancellation);
                return $"resume {bookmark.ActivityType} {bookmark.ActivityId} by {outcome} with {data}: {resumed.Status}";
            case 6:
                var sent = await engine.Runtime.PublishMessageAsync("m", $"k{random.Next(2)}", new JsonObject { ["v0"] = random.Next(3) }, cancellationToken: TestEngine.Cancellation);
                return $"message: delivered to {sent.DeliveredTo.Length}";
            case 7 when instances.Count > 0:
                var cancelled = await engine.Runtime.CancelAsync(instances[random.Next(instances.Count)].Id, Actor.System, "fuzz", TestEngine.Cancellation);
                return $"cancel: {cancelled.Status}";
            case 8 when instances.Count > 0:
                var retried = await engine.Runtime.RetryAsync(instances[random.Next(instances.Count)].Id, Actor.System, TestEngine.Cancellation);
                return $"retry: {retried.Status}";
            default:
                engine.Clock.Advance(TimeSpan.FromHours(random.Next(1, 200)));
                var dispatched = await engine.Runtime.DispatchOutboxAsync(TestEngine.Cancellation);
                return $"clock and outbox: {dispatched}";
        }
    }

    /// <summary>What must hold between steps, whatever the definition.</summary>
    private static async Task AssertConsistentAsync(TestEngine engine, string trace)
    {
        foreach (var summary in await engine.Runtime.QueryInstancesAsync(new InstanceQuery { Limit = 1000 }, TestEngine.Cancellation))
        {
            var instance = await engine.InstanceAsync(summary.Id);
            var open = (await engine.OpenBookmarksAsync(instance.Id)).Select(b => b.Id).ToHashSet(StringComparer.Ordinal);
            var state = $"instance {instance.Id} ({instance.DefinitionId}) is {instance.Status} with tokens [{string.Join(", ", instance.State.Tokens)}], open bookmarks [{string.Join(", ", open)}]\n{trace}";
            switch (instance.Status)
            {
                case InstanceStatus.Running:
                    Assert.Fail("No instance is stored as running: " + state);
                    break;
                case InstanceStatus.Waiting:
                    Assert.True(instance.State.Tokens.Count > 0 && instance.State.Tokens.All(t => t.Status == TokenStatus.Waiting && t.BookmarkId is { } id && open.Contains(id)),
                        "A waiting instance waits on open bookmarks only: " + state);
                    break;
                case InstanceStatus.Completed or InstanceStatus.Cancelled:
                    Assert.True(instance.State.Tokens.Count == 0 && open.Count == 0, "A finished instance has no tokens or open bookmarks: " + state);
                    break;
                case InstanceStatus.Faulted:
                    Assert.True(instance.State.Incidents.Count > 0, "A faulted instance has an incident: " + state);
                    break;
            }

            Assert.True(open.All(id => instance.State.Tokens.Any(t => t.BookmarkId == id)), "Every open bookmark has a token waiting on it: " + state);
        }
    }
}
