using Yishi.Benchmarks.Engine;

namespace Yishi.Benchmarks;

/// <summary>
/// Benchmarks are programs that print figures, not timed tests (CONVENTIONS.md):
/// <c>dotnet run -c Release --project tests/Yishi.Benchmarks -- engine|http|timers|notify|votes [--quick]</c>.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // Let the running measure stop through its token, so scratch folders and child processes are cleaned up.
            e.Cancel = true;
            cancellation.Cancel();
        };

        return args switch
        {
            ["engine"] => await EngineSuite.RunAsync(EngineSuiteSize.Full, cancellation.Token),
            ["engine", "--quick"] => await EngineSuite.RunAsync(EngineSuiteSize.Quick, cancellation.Token),
            ["http"] => await Http.HttpBenchmark.RunAsync(10_000, 64, cancellation.Token),
            ["http", "--quick"] => await Http.HttpBenchmark.RunAsync(2_000, 64, cancellation.Token),
            ["timers"] => await Timers.TimerBenchmark.RunAsync(10_000, cancellation.Token),
            ["timers", "--quick"] => await Timers.TimerBenchmark.RunAsync(2_000, cancellation.Token),
            ["notify"] => await Notify.NotifyBenchmark.RunAsync(100_000, 3, cancellation.Token),
            ["notify", "--quick"] => await Notify.NotifyBenchmark.RunAsync(10_000, 1, cancellation.Token),
            ["votes"] => await Votes.VotesBenchmark.RunAsync(10_000, 100_000, [64, 128, 192, 256], 3, cancellation.Token),
            ["votes", "--quick"] => await Votes.VotesBenchmark.RunAsync(2_000, 10_000, [64, 128], 1, cancellation.Token),
            // For profiling the engine alone: Yishi's rounds only, no peers.
            ["yishi", var count] => await EngineSuite.RunYishiOnlyAsync(int.Parse(count, System.Globalization.CultureInfo.InvariantCulture), cancellation.Token),
            // Internal: the engine suite starts itself with this to measure memory in a fresh process.
            [WaitingRssProbe.Command, _, _] => await WaitingRssProbe.RunChildAsync(args[1..], cancellation.Token),
            _ => Usage(),
        };
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: dotnet run -c Release --project tests/Yishi.Benchmarks -- engine [--quick] | http [--quick] | timers [--quick] | notify [--quick] | votes [--quick] | yishi INSTANCES");
        return 2;
    }
}
