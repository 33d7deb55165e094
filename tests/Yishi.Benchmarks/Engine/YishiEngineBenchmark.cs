namespace Yishi.Benchmarks.Engine;

/// <summary>Measures Yishi itself. Owned by the lead; filled in later.</summary>
internal static class YishiEngineBenchmark
{
    /// <summary>Runs `instances` of Start → HumanTask → HumanTask → End on a fresh SQLite file at dbPath with `callers` concurrent callers; returns steps/s (a step = one committed start or resume) and p95 resume latency in ms.</summary>
    public static Task<EngineRoundResult> RunRoundAsync(int instances, int callers, string dbPath, CancellationToken cancellationToken) => throw new NotImplementedException();

    /// <summary>Process RSS in MB with `waiting` instances waiting (0 = none), measured after a full GC.</summary>
    public static Task<double> MeasureRssWithWaitingAsync(int waiting, string dbPath, CancellationToken cancellationToken) => throw new NotImplementedException();
}

internal sealed record EngineRoundResult(double StepsPerSecond, double P95ResumeMs);
