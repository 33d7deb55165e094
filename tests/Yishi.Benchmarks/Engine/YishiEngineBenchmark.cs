using System.Diagnostics;
using Yishi.Engine.Activities;
using Yishi.Engine.EntityFrameworkCore;
using Yishi.Engine.Execution;
using Yishi.Engine.Runtime;

namespace Yishi.Benchmarks.Engine;

/// <summary>
/// Yishi durable on disk: Start → HumanTask → HumanTask → End on a fresh SQLite file (WAL, synchronous=FULL),
/// every step committed before its caller gets an answer.
/// </summary>
internal static class YishiEngineBenchmark
{
    private const string TwoTasks = """
        { "definitionId": "bench", "name": "bench", "activities": [
            { "id": "start", "type": "Start" },
            { "id": "first", "type": "HumanTask", "properties": { "title": "一", "assignee": { "role": "mediator" } } },
            { "id": "second", "type": "HumanTask", "properties": { "title": "二", "assignee": { "role": "mediator" } } },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "first" }, { "from": "first", "to": "second" }, { "from": "second", "to": "end" } ] }
        """;

    // Same work as TwoTasks up to the first wait, but nothing is left waiting: the baseline for memory.
    private const string Immediate = """
        { "definitionId": "bench", "name": "bench", "activities": [
            { "id": "start", "type": "Start" },
            { "id": "end", "type": "End" } ],
          "connections": [ { "from": "start", "to": "end" } ] }
        """;

    private static readonly Actor Mediator = Actor.User("u-bench", "mediator");

    /// <summary>
    /// Starts every instance, then resumes every first task, then every second one, each phase with
    /// <paramref name="callers"/> concurrent callers. A step is one committed start or resume.
    /// </summary>
    public static async Task<EngineRoundResult> RunRoundAsync(int instances, int callers, string dbPath, CancellationToken cancellationToken)
    {
        await using var runtime = await OpenAsync(dbPath, TwoTasks, cancellationToken);
        using var commits = new CommitStatistics();
        var firstTasks = new string[instances];
        var secondTasks = new string[instances];
        var resumeLatencies = new double[2 * instances];

        var clock = Stopwatch.StartNew();
        await ForEachAsync(instances, callers, async i =>
        {
            var started = await runtime.StartAsync(new StartRequest("bench"), cancellationToken);
            firstTasks[i] = Expect(started).Bookmarks[0].Id;
        }, cancellationToken);
        await ForEachAsync(instances, callers, async i =>
        {
            var begin = Stopwatch.GetTimestamp();
            var resumed = await runtime.ResumeAsync(new ResumeRequest(firstTasks[i], ResumeInput.Empty, Mediator), cancellationToken);
            resumeLatencies[i] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            secondTasks[i] = Expect(resumed).Bookmarks[0].Id;
        }, cancellationToken);
        await ForEachAsync(instances, callers, async i =>
        {
            var begin = Stopwatch.GetTimestamp();
            var resumed = await runtime.ResumeAsync(new ResumeRequest(secondTasks[i], ResumeInput.Empty, Mediator), cancellationToken);
            resumeLatencies[instances + i] = Stopwatch.GetElapsedTime(begin).TotalMilliseconds;
            if (Expect(resumed).InstanceStatus != Yishi.Engine.Instances.InstanceStatus.Completed)
            {
                throw new InvalidOperationException("An instance did not complete.");
            }
        }, cancellationToken);
        clock.Stop();

        Array.Sort(resumeLatencies);
        var p95 = resumeLatencies[(int)Math.Ceiling(0.95 * resumeLatencies.Length) - 1];
        return new EngineRoundResult(3.0 * instances / clock.Elapsed.TotalSeconds, p95, commits.ToString());
    }

    /// <summary>
    /// RSS after starting <paramref name="waiting"/> instances that wait on a task. With 0, the same number of
    /// instances run to completion instead, so both figures include the same work and differ only in what waits.
    /// </summary>
    public static async Task<double> MeasureRssWithWaitingAsync(int waiting, string dbPath, CancellationToken cancellationToken)
    {
        const int Count = 100_000;
        var instances = waiting == 0 ? Count : waiting;
        await using var runtime = await OpenAsync(dbPath, waiting == 0 ? Immediate : TwoTasks, cancellationToken);
        await ForEachAsync(instances, 128, async _ => Expect(await runtime.StartAsync(new StartRequest("bench"), cancellationToken)), cancellationToken);
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return await Rss.CurrentMegabytesAsync(cancellationToken);
    }

    private static async Task<WorkflowRuntime> OpenAsync(string dbPath, string definition, CancellationToken cancellationToken)
    {
        var database = new YishiDatabase(new DatabaseOptions { Provider = DatabaseProvider.Sqlite, ConnectionString = $"Data Source={dbPath}" });
        await database.MigrateAsync(cancellationToken);
        var runtime = new WorkflowRuntime(new SqlWorkflowStore(database), TimeProvider.System);
        var published = await runtime.Definitions.PublishDocumentAsync(definition, cancellationToken);
        if (!published.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", published.Problems));
        }

        return runtime;
    }

    private static StepResult Expect(StepResult result) =>
        result.Succeeded ? result : throw new InvalidOperationException($"A step failed: {result.Status} {result.Message}");

    /// <summary>Runs <paramref name="body"/> for 0..count-1 with <paramref name="callers"/> concurrent callers.</summary>
    private static Task ForEachAsync(int count, int callers, Func<int, Task> body, CancellationToken cancellationToken) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = callers, CancellationToken = cancellationToken },
            async (i, _) => await body(i));
}

/// <summary>One round's figures.</summary>
/// <param name="StepsPerSecond">Committed starts and resumes per second.</param>
/// <param name="P95ResumeMs">95th percentile of resume latency, as the caller sees it.</param>
/// <param name="Commits">How the group commit batched the round's steps.</param>
internal sealed record EngineRoundResult(double StepsPerSecond, double P95ResumeMs, string Commits);
