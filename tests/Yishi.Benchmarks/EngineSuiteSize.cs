namespace Yishi.Benchmarks;

/// <summary>How much work one run of the engine suite does.</summary>
/// <param name="Name">Shown in the output.</param>
/// <param name="WarmUp">A smaller first round, discarded, so that JIT and first-touch costs stay out of the figures; null for none.</param>
/// <param name="Round">The size of each measured round.</param>
/// <param name="MeasuredRounds">Rounds whose figures are reported, as medians.</param>
/// <param name="RssWaiting">Waiting instances for the memory figure.</param>
internal sealed record EngineSuiteSize(string Name, RoundSize? WarmUp, RoundSize Round, int MeasuredRounds, int RssWaiting)
{
    /// <summary>Concurrent callers (Yishi) and publishers (WorkflowCore): enough to keep both saturated on this machine.</summary>
    public const int Callers = 128;

    // The SQLite counts are sized so that each measure takes a few seconds at the rates this disk gives (DESIGN.md).
    public static EngineSuiteSize Full { get; } = new("full", new RoundSize(2_000, 1_000, 20_000), new RoundSize(10_000, 5_000, 100_000), 3, 100_000);

    public static EngineSuiteSize Quick { get; } = new("quick", null, new RoundSize(2_000, 1_000, 20_000), 1, 20_000);
}

/// <summary>The work in one round.</summary>
/// <param name="Instances">Workflow instances per Yishi and WorkflowCore measure.</param>
/// <param name="SqliteTransactions">Transactions in the one-pair-per-transaction SQLite measure.</param>
/// <param name="SqlitePairs">Pairs in the batched SQLite measure.</param>
internal sealed record RoundSize(int Instances, int SqliteTransactions, int SqlitePairs);
