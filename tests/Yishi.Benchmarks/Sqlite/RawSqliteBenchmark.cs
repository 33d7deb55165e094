using System.Diagnostics;

namespace Yishi.Benchmarks.Sqlite;

/// <summary>
/// The ceiling Yishi sits under: what SQLite itself does through Microsoft.Data.Sqlite on this disk, with no engine
/// and no EF Core. One pair per transaction is bounded by fsync; a hundred per transaction shows what batching buys.
/// </summary>
internal static class RawSqliteBenchmark
{
    public const int PairsPerBatch = 100;

    /// <summary>One INSERT + one UPDATE per committed transaction; returns transactions per second.</summary>
    public static async Task<double> MeasureTransactionsPerSecondAsync(string dbPath, int transactions, CancellationToken cancellationToken)
    {
        await using var table = await PairTable.CreateAsync(dbPath, cancellationToken);
        var stopwatch = Stopwatch.StartNew();
        for (var i = 0; i < transactions; i++)
        {
            await using var transaction = await table.BeginAsync(cancellationToken);
            await table.WritePairAsync(transaction, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        return transactions / stopwatch.Elapsed.TotalSeconds;
    }

    /// <summary><see cref="PairsPerBatch"/> INSERT + UPDATE pairs per committed transaction; returns pairs per second.</summary>
    public static async Task<double> MeasureBatchedPairsPerSecondAsync(string dbPath, int pairs, CancellationToken cancellationToken)
    {
        await using var table = await PairTable.CreateAsync(dbPath, cancellationToken);
        var batches = pairs / PairsPerBatch;
        var stopwatch = Stopwatch.StartNew();
        for (var batch = 0; batch < batches; batch++)
        {
            await using var transaction = await table.BeginAsync(cancellationToken);
            for (var i = 0; i < PairsPerBatch; i++)
            {
                await table.WritePairAsync(transaction, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }

        return batches * PairsPerBatch / stopwatch.Elapsed.TotalSeconds;
    }
}
