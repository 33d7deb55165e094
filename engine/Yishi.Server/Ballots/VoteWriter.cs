using System.Data.Common;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Yishi.Server.Data;

namespace Yishi.Server.Ballots;

/// <summary>What a vote command did.</summary>
internal enum VoteWritten
{
    Cast,
    Changed,
    AlreadyVoted,
    ReceiptUnknown,
    NotVoted,
    Closed,
    NoSlot,
    PaperMarked,
    PaperConfirmed,
    PaperTooMany,
    PaperNotPending,
}

/// <summary>A change to a ballot's turnout and slots.</summary>
internal abstract record VoteCommand(string BallotId)
{
    internal readonly TaskCompletionSource<VoteWritten> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>A ballot cast online: the turnout row marked and a random empty slot filled, in one transaction.</summary>
    public sealed record Cast(string BallotId, string CountKey, string Choices, string ReceiptHash, string? Voter) : VoteCommand(BallotId);

    /// <summary>A secret ballot changed by its receipt.</summary>
    public sealed record ChangeByReceipt(string BallotId, string Choices, string ReceiptHash) : VoteCommand(BallotId);

    /// <summary>An open ballot changed by its voter; the earlier choice is kept.</summary>
    public sealed record ChangeByVoter(string BallotId, string CountKey, string Choices, DateTimeOffset At) : VoteCommand(BallotId);

    /// <summary>An officer records that a resident voted on paper (so they cannot vote online).</summary>
    public sealed record MarkPaper(string BallotId, string CountKey) : VoteCommand(BallotId);

    /// <summary>A second officer confirms a batch of paper ballots: they fill slots and count.</summary>
    public sealed record ConfirmPaper(string BallotId, string BatchId, string OfficerId, DateTimeOffset At) : VoteCommand(BallotId);

    /// <summary>Voting ends: every command queued before this one is written, every one after it is refused.</summary>
    public sealed record Close(string BallotId) : VoteCommand(BallotId);
}

/// <summary>
/// The one writer of ballots' turnout and slots. Votes arriving together share a transaction (group commit): SQLite
/// has a single writer, and a commit per vote would cap a ballot at a few hundred votes a second. Every vote is a
/// conditional update of its turnout row, so a second vote from the same person or household, however close in time,
/// finds the row marked and changes nothing; the choice goes into a slot picked at random among the empty ones, so
/// neither keys nor storage order follow the order of voting.
/// </summary>
internal sealed partial class VoteWriter : IAsyncDisposable
{
    private const int MaxBatch = 512;
    private readonly Channel<VoteCommand> _queue = Channel.CreateUnbounded<VoteCommand>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<VoteWriter> _logger;
    private readonly HashSet<string> _closed = new(StringComparer.Ordinal);
    private readonly Task _loop;

    public VoteWriter(IServiceScopeFactory scopes, ILogger<VoteWriter> logger)
    {
        _scopes = scopes;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Queues a command and waits for its commit.</summary>
    public async Task<VoteWritten> WriteAsync(VoteCommand command, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(command, cancellationToken);
        // Not cancelled with the request: once queued, the vote is written or refused, and the caller's answer only reports it.
        return await command.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<VoteCommand>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var command))
            {
                batch.Add(command);
            }

            try
            {
                var results = await WriteBatchAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception exception)
            {
                LogBatchFailed(_logger, batch.Count, exception.GetType().Name);
                foreach (var command in batch)
                {
                    command.Done.TrySetException(exception);
                }
            }
        }
    }

    private async Task<VoteWritten[]> WriteBatchAsync(List<VoteCommand> batch)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<ServerDbContext>();
        var sql = new BallotSql(db.Database.ProviderName ?? "");
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await db.Database.UseTransactionAsync(transaction);
        await using var writer = new BatchCommands(connection, transaction, sql);
        var results = new VoteWritten[batch.Count];
        var closing = new List<string>();
        for (var i = 0; i < batch.Count; i++)
        {
            var command = batch[i];
            if (_closed.Contains(command.BallotId) && command is not VoteCommand.Close)
            {
                results[i] = VoteWritten.Closed;
                continue;
            }

            results[i] = command switch
            {
                VoteCommand.Cast cast => await CastAsync(writer, cast),
                VoteCommand.ChangeByReceipt change => await writer.Execute(BallotSql.ChangeByReceipt, change.Choices, change.BallotId, change.ReceiptHash) == 1
                    ? VoteWritten.Changed : VoteWritten.ReceiptUnknown,
                VoteCommand.ChangeByVoter change => await ChangeAsync(writer, db, change),
                VoteCommand.MarkPaper paper => await writer.Execute(BallotSql.MarkTurnout, "paper", paper.BallotId, paper.CountKey) == 1
                    ? VoteWritten.PaperMarked : VoteWritten.AlreadyVoted,
                VoteCommand.ConfirmPaper confirm => await ConfirmAsync(writer, db, confirm),
                VoteCommand.Close close => CloseIn(closing, close),
                _ => throw new InvalidOperationException(command.GetType().Name),
            };
        }

        await transaction.CommitAsync();
        foreach (var ballot in closing)
        {
            _closed.Add(ballot);
        }

        return results;
    }

    private static VoteWritten CloseIn(List<string> closing, VoteCommand.Close close)
    {
        closing.Add(close.BallotId);
        return VoteWritten.Closed;
    }

    private static async Task<VoteWritten> CastAsync(BatchCommands writer, VoteCommand.Cast cast)
    {
        if (await writer.Execute(BallotSql.MarkTurnout, "online", cast.BallotId, cast.CountKey) != 1)
        {
            return VoteWritten.AlreadyVoted;
        }

        if (await FillAsync(writer, cast.BallotId, cast.Choices, cast.ReceiptHash, cast.Voter))
        {
            return VoteWritten.Cast;
        }

        // More votes than slots cannot happen (one slot per count); if it did, the vote is undone rather than half-kept.
        await writer.Execute(BallotSql.UnmarkTurnout, cast.BallotId, cast.CountKey);
        return VoteWritten.NoSlot;
    }

    /// <summary>Fills an empty slot picked at random; false when none is left.</summary>
    private static async Task<bool> FillAsync(BatchCommands writer, string ballotId, string choices, string? receiptHash, string? voter)
    {
        for (var attempt = 0; attempt < 8; attempt++)
        {
            var from = ElectorateFreezer.RandomId();
            var slot = await writer.Scalar(writer.FreeSlotFrom, ballotId, from) as string ?? await writer.Scalar(writer.FreeSlot, ballotId) as string;
            if (slot is null)
            {
                return false;
            }

            // Another process may have filled it between the read and the write (paper ballots on another node): pick again.
            if (await writer.Execute(BallotSql.FillSlot, choices, receiptHash, voter, ballotId, slot) == 1)
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<VoteWritten> ChangeAsync(BatchCommands writer, ServerDbContext db, VoteCommand.ChangeByVoter change)
    {
        if (await writer.Scalar(BallotSql.ChoicesOfVoter, change.BallotId, change.CountKey) is not string earlier)
        {
            return VoteWritten.NotVoted;
        }

        db.BallotVoteChanges.Add(new BallotVoteChange
        {
            Id = ElectorateFreezer.RandomId(),
            BallotId = change.BallotId,
            CountKey = change.CountKey,
            Choices = earlier,
            ChangedAt = change.At,
        });
        await db.SaveChangesAsync();
        await writer.Execute(BallotSql.ChangeByVoter, change.Choices, change.BallotId, change.CountKey);
        return VoteWritten.Changed;
    }

    private static async Task<VoteWritten> ConfirmAsync(BatchCommands writer, ServerDbContext db, VoteCommand.ConfirmPaper confirm)
    {
        var batch = await db.PaperBatches.FirstOrDefaultAsync(b => b.Id == confirm.BatchId && b.BallotId == confirm.BallotId);
        if (batch is not { Status: PaperBatch.Pending })
        {
            return VoteWritten.PaperNotPending;
        }

        // Paper ballots cannot outnumber the residents recorded as voting on paper.
        var confirmed = await db.PaperBatches.Where(b => b.BallotId == confirm.BallotId && b.Status == PaperBatch.Confirmed).SumAsync(b => b.Count);
        var paperVoters = Convert.ToInt32(await writer.Scalar(BallotSql.CountPaperVoters, confirm.BallotId), System.Globalization.CultureInfo.InvariantCulture);
        if (confirmed + batch.Count > paperVoters)
        {
            return VoteWritten.PaperTooMany;
        }

        foreach (var choices in JsonSerializer.Deserialize<List<string>>(batch.Ballots) ?? [])
        {
            if (!await FillAsync(writer, confirm.BallotId, choices, null, null))
            {
                throw new InvalidOperationException($"Ballot {confirm.BallotId} has no empty slot left for a paper ballot.");
            }
        }

        batch.Status = PaperBatch.Confirmed;
        batch.ConfirmedBy = confirm.OfficerId;
        batch.ConfirmedAt = confirm.At;
        // The batch's list of choices has done its work; cleared so it does not outlive the count as a second copy.
        batch.Ballots = "[]";
        await db.SaveChangesAsync();
        return VoteWritten.PaperConfirmed;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A batch of {Count} ballot writes failed ({Error}); every vote in it was refused and may be sent again")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error);

    /// <summary>The batch's commands, made once per transaction and reused for every vote in it.</summary>
    private sealed class BatchCommands(DbConnection connection, DbTransaction transaction, BallotSql sql) : IAsyncDisposable
    {
        private readonly Dictionary<string, DbCommand> _commands = new(StringComparer.Ordinal);

        public string FreeSlotFrom => sql.FreeSlotFrom;

        public string FreeSlot => sql.FreeSlot;

        public async Task<int> Execute(string text, params object?[] values) => await Get(text, values).ExecuteNonQueryAsync();

        public async Task<object?> Scalar(string text, params object?[] values)
        {
            var value = await Get(text, values).ExecuteScalarAsync();
            return value is DBNull ? null : value;
        }

        private DbCommand Get(string text, params object?[] values)
        {
            if (!_commands.TryGetValue(text, out var command))
            {
                var names = ParameterNames(text);
                command = BallotSql.Command(connection, transaction, text, names);
                _commands[text] = command;
            }

            return BallotSql.With(command, values);
        }

        /// <summary>The @names in the order they first appear, which is the order the callers pass values in.</summary>
        private static string[] ParameterNames(string text) =>
            [.. System.Text.RegularExpressions.Regex.Matches(text, "@([a-z]+)").Select(m => m.Groups[1].Value).Distinct()];

        public async ValueTask DisposeAsync()
        {
            foreach (var command in _commands.Values)
            {
                await command.DisposeAsync();
            }
        }
    }
}

/// <summary>Paper batch states.</summary>
internal static class PaperBatch
{
    public const string Pending = "pending";
    public const string Confirmed = "confirmed";
    public const string Rejected = "rejected";
}
