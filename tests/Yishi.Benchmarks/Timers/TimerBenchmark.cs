using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Yishi.Engine.EntityFrameworkCore;
using Yishi.Engine.Runtime;

namespace Yishi.Benchmarks.Timers;

/// <summary>
/// Many distinct timers due in one short window, fired by the engine's sweeper on a SQLite file. Lateness is
/// measured when the resume a timer caused was committed (the sweeper reports it), against the timer's due time.
/// </summary>
internal static class TimerBenchmark
{
    private const string Definition = """
        { "definitionId": "bench-timer", "name": "Timer",
          "variables": [ { "name": "at", "type": "string", "required": true } ],
          "activities": [ { "id": "start", "type": "Start" },
            { "id": "wait", "type": "Until", "properties": { "at": "at" } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "wait" }, { "from": "wait", "to": "end" } ] }
        """;

    private static readonly TimeSpan Window = TimeSpan.FromSeconds(2);

    public static async Task<int> RunAsync(int timers, CancellationToken cancellationToken)
    {
        using var scratch = ScratchFolder.Create();
        var database = new YishiDatabase(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={scratch.File("timers.db")}" });
        await database.MigrateAsync(cancellationToken);
        var options = new WorkflowRuntimeOptions();
        await using var runtime = new WorkflowRuntime(new SqlWorkflowStore(database), TimeProvider.System, options);
        var published = await runtime.Definitions.PublishDocumentAsync(Definition, cancellationToken);
        if (!published.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", published.Problems));
        }

        var fired = new ConcurrentQueue<FiredTimer>();
        var sweeper = new TimerSweeper(runtime, TimeProvider.System, options.TimerPollInterval);
        sweeper.Swept += sweep => sweep.Fired.ToList().ForEach(fired.Enqueue);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sweeping = sweeper.RunAsync(stop.Token);

        // The window opens well after the timers are made, so every one waits; the sweeper runs all along, as in the server.
        var creation = System.Diagnostics.Stopwatch.StartNew();
        var opens = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(Math.Max(10, timers / 1_000.0));
        await Parallel.ForEachAsync(Enumerable.Range(0, timers), new ParallelOptions { MaxDegreeOfParallelism = 128, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var at = opens + Window * i / timers;
            var started = await runtime.StartAsync(new StartRequest("bench-timer", new JsonObject { ["at"] = at.ToString("O", CultureInfo.InvariantCulture) }), ct);
            if (!started.Succeeded || started.InstanceStatus != Yishi.Engine.Instances.InstanceStatus.Waiting)
            {
                throw new InvalidOperationException($"A timer was not created: {started.Status} {started.Message}");
            }
        });
        Console.WriteLine($"  created {timers:N0} timers in {creation.Elapsed.TotalSeconds:N1} s; the window opens {(opens - DateTimeOffset.UtcNow).TotalSeconds:N1} s later");

        var deadline = opens + Window + TimeSpan.FromSeconds(60);
        while (fired.Count < timers && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(50, cancellationToken);
        }

        await Task.Delay(500, cancellationToken); // a second firing of any timer would show up here
        await stop.CancelAsync();
        await sweeping;

        var all = fired.ToList();
        var distinct = all.DistinctBy(f => f.BookmarkId).ToList();
        var late = distinct.Select(f => Math.Max(0, f.Lateness.TotalMilliseconds)).Order().ToArray();
        double At(double q) => late.Length == 0 ? 0 : late[Math.Min(late.Length - 1, (int)Math.Ceiling(q * late.Length) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"timers: n={timers} fired={distinct.Count} p50_late_ms={At(0.50):F0} p95_late_ms={At(0.95):F0} max_late_ms={(late.Length == 0 ? 0 : late[^1]):F0} duplicates={all.Count - distinct.Count}"));
        return distinct.Count == timers && all.Count == distinct.Count ? 0 : 1;
    }
}
