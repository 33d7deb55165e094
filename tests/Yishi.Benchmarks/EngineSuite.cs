using System.Globalization;
using Yishi.Benchmarks.Engine;
using Yishi.Benchmarks.Sqlite;
using Yishi.Benchmarks.WorkflowCore;

namespace Yishi.Benchmarks;

/// <summary>
/// Yishi against its ceiling (raw SQLite) and its baseline (WorkflowCore in memory). Each round runs every measure
/// once, in turn, so that slow periods of this shared machine fall on all of them alike; the ratios are what count.
/// </summary>
internal static class EngineSuite
{
    public static async Task<int> RunAsync(EngineSuiteSize size, CancellationToken cancellationToken)
    {
        Console.WriteLine($"engine suite ({size.Name}): {size.Round.Instances:N0} instances, {EngineSuiteSize.Callers} concurrent callers, " +
            $"{size.MeasuredRounds} measured round(s){(size.WarmUp is null ? "" : $" after a {size.WarmUp.Instances:N0}-instance warm-up")}");

        if (size.WarmUp is not null)
        {
            await RunRoundAsync("warm-up (discarded)", size.WarmUp, cancellationToken);
        }

        var rounds = new List<RoundFigures>();
        for (var i = 1; i <= size.MeasuredRounds; i++)
        {
            rounds.Add(await RunRoundAsync($"round {i}/{size.MeasuredRounds}", size.Round, cancellationToken));
        }

        var rssExtraMb = await MeasureWaitingRssAsync(size.RssWaiting, cancellationToken);

        var yishi = Median.Of(rounds.Select(r => r.YishiStepsPerSecond).ToArray());
        var sqliteTx = Median.Of(rounds.Select(r => r.SqliteTransactionsPerSecond).ToArray());
        var sqliteBatched = Median.Of(rounds.Select(r => r.SqliteBatchedPairsPerSecond).ToArray());
        var workflowCore = Median.Of(rounds.Select(r => r.WorkflowCoreEventsPerSecond).ToArray());
        var p95 = Median.Of(rounds.Select(r => r.YishiP95ResumeMs).ToArray());

        // The last line is read by scripts: fixed keys, invariant culture, integers and two-decimal ratios.
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"engine: yishi_steps_per_s={yishi:F0} sqlite_tx_per_s={sqliteTx:F0} sqlite_batched_pairs_per_s={sqliteBatched:F0} " +
            $"workflowcore_events_per_s={workflowCore:F0} vs_workflowcore={Ratio(yishi, workflowCore):F2} " +
            $"vs_sqlite_batched={Ratio(yishi, sqliteBatched):F2} p95_resume_ms={p95:F0} rss_mb_100k_waiting={rssExtraMb:F0}"));
        return 0;
    }

    /// <summary>Three Yishi rounds and nothing else, for profiling the engine.</summary>
    public static async Task<int> RunYishiOnlyAsync(int instances, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= 3; i++)
        {
            var yishi = await MeasureYishiAsync(instances, cancellationToken);
            Report($"yishi round {i}/3", $"{yishi!.StepsPerSecond:N0} steps/s, p95 resume {yishi.P95ResumeMs:N1} ms ({instances:N0} instances; {yishi.Commits})");
        }

        return 0;
    }

    private static async Task<RoundFigures> RunRoundAsync(string label, RoundSize size, CancellationToken cancellationToken)
    {
        var yishi = await MeasureYishiAsync(size.Instances, cancellationToken);
        Report(label, yishi is null
            ? "yishi: not measured yet (YishiEngineBenchmark throws NotImplementedException), reported as 0"
            : $"yishi: {yishi.StepsPerSecond:N0} steps/s, p95 resume {yishi.P95ResumeMs:N1} ms ({size.Instances:N0} instances; {yishi.Commits})");

        var sqliteTx = await InScratchAsync(
            path => RawSqliteBenchmark.MeasureTransactionsPerSecondAsync(path, size.SqliteTransactions, cancellationToken));
        Report(label, $"raw sqlite, 1 insert+update per tx: {sqliteTx:N0} tx/s ({size.SqliteTransactions:N0} tx)");

        var sqliteBatched = await InScratchAsync(
            path => RawSqliteBenchmark.MeasureBatchedPairsPerSecondAsync(path, size.SqlitePairs, cancellationToken));
        Report(label, $"raw sqlite, {RawSqliteBenchmark.PairsPerBatch} insert+update pairs per tx: {sqliteBatched:N0} pairs/s ({size.SqlitePairs:N0} pairs)");

        var workflowCore = await WorkflowCoreBenchmark.MeasureEventsPerSecondAsync(size.Instances, EngineSuiteSize.Callers, cancellationToken);
        CollectGarbage();
        Report(label, $"workflowcore in memory: {workflowCore:N0} events/s ({size.Instances:N0} instances, {2 * size.Instances:N0} events)");

        return new RoundFigures(yishi?.StepsPerSecond ?? 0, yishi?.P95ResumeMs ?? 0, sqliteTx, sqliteBatched, workflowCore);
    }

    private static async Task<EngineRoundResult?> MeasureYishiAsync(int instances, CancellationToken cancellationToken)
    {
        using var scratch = ScratchFolder.Create();
        try
        {
            return await YishiEngineBenchmark.RunRoundAsync(instances, EngineSuiteSize.Callers, scratch.File("yishi.db"), cancellationToken);
        }
        catch (NotImplementedException)
        {
            // The engine measurement is written separately; until then the harness still runs end to end.
            return null;
        }
        finally
        {
            CollectGarbage();
        }
    }

    private static async Task<double> MeasureWaitingRssAsync(int waiting, CancellationToken cancellationToken)
    {
        var none = await WaitingRssProbe.MeasureInChildAsync(0, cancellationToken);
        var many = await WaitingRssProbe.MeasureInChildAsync(waiting, cancellationToken);
        var label = waiting == 100_000 ? "rss" : $"rss (quick: {waiting:N0} waiting, not 100,000)";
        if (none is null || many is null)
        {
            Report(label, "yishi: not measured yet (YishiEngineBenchmark throws NotImplementedException), reported as 0");
            return 0;
        }

        Report(label, $"yishi: {none:N0} MB with none waiting, {many:N0} MB with {waiting:N0} waiting, {many - none:N0} MB more (one child process each)");
        return many.Value - none.Value;
    }

    private static async Task<double> InScratchAsync(Func<string, Task<double>> measure)
    {
        using var scratch = ScratchFolder.Create();
        try
        {
            return await measure(scratch.File("raw.db"));
        }
        finally
        {
            CollectGarbage();
        }
    }

    // One measure's garbage should not be collected on the next measure's time.
    private static void CollectGarbage()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    private static double Ratio(double numerator, double denominator) => denominator > 0 ? numerator / denominator : 0;

    private static void Report(string label, string text) => Console.WriteLine($"  {label}: {text}");

    private sealed record RoundFigures(
        double YishiStepsPerSecond,
        double YishiP95ResumeMs,
        double SqliteTransactionsPerSecond,
        double SqliteBatchedPairsPerSecond,
        double WorkflowCoreEventsPerSecond);
}
